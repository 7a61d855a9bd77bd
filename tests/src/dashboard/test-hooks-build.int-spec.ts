import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, TEST_DASHBOARD_DIR } from '../support/paths';

const HOOKS = ['meetnetMap', 'meetnetLive'];

function scriptsOf(dir: string): string {
  const assets = join(dir, 'assets');
  return readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => readFileSync(join(assets, name), 'utf8'))
    .join('\n');
}

describe("the dashboard's test hooks", () => {
  it('are in the test build the browser tests use, and not in the build people use', () => {
    const production = mkdtempSync(join(tmpdir(), 'meetnet-dashboard-'));
    execFileSync('npx', ['vite', 'build', '--outDir', production, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: resolve(REPO_ROOT, 'dashboard'),
      stdio: 'pipe',
    });
    const shipped = scriptsOf(production);
    const tested = scriptsOf(TEST_DASHBOARD_DIR);
    for (const hook of HOOKS) {
      expect(tested).toContain(hook);
      expect(shipped).not.toContain(hook);
    }
  }, 120_000);
});
