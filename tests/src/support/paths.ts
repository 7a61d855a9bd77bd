import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const SERVICE_MAIN = resolve(REPO_ROOT, 'services/server/dist/main.js');
export const SIMULATOR_CLI = resolve(REPO_ROOT, 'simulators/dist/cli.js');
export const ACCOUNTS_CLI = resolve(REPO_ROOT, 'services/accounts/dist/cli.js');
/** The dashboard built with its test hooks (`npm run build:test --workspace dashboard`). */
export const TEST_DASHBOARD_DIR = resolve(REPO_ROOT, 'dashboard/dist-test');
