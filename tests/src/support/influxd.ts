import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import { REPO_ROOT } from './paths';
import { waitFor } from './wait-for';

const run = promisify(execFile);

export interface InfluxdInstance {
  url: string;
  process: Started;
  stop: () => Promise<void>;
}

/** A real, throwaway influxd 1.8 on free ports, started by the project's own script. */
export async function startInfluxd(admin?: { user: string; password: string }): Promise<InfluxdInstance> {
  const port = await freePort();
  const rpcPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'meetnet-influxd-'));
  const process = startProcess('bash', [resolve(REPO_ROOT, 'infra/influxdb/start.sh')], {
    env: {
      ...globalThis.process.env,
      INFLUX_PORT: String(port),
      INFLUX_RPC_PORT: String(rpcPort),
      INFLUX_DATA_DIR: dataDir,
      ...(admin ? { INFLUX_ADMIN_USER: admin.user, INFLUX_ADMIN_PASSWORD: admin.password } : {}),
    },
    logFile: join(dataDir, 'start.log'),
  });
  await waitFor(
    'influxd to start',
    () => process.output().includes('influxd ready') || undefined,
    60_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${process.output()}`);
  });
  return { url: `http://127.0.0.1:${port}`, process, stop: async () => void (await process.stop('SIGTERM')) };
}

/**
 * InfluxDB 1.8 has no bucket API; a bucket is `database/retention-policy`. Made by the
 * project's own script, with its rollup retention policies (`name/rollup_1h`, `name/rollup_1d`).
 */
export async function createDatabase(
  influxUrl: string,
  name: string,
  options: { rawRetention?: string } = {},
): Promise<string> {
  await run('bash', [resolve(REPO_ROOT, 'infra/influxdb/create-database.sh'), influxUrl, name], {
    env: {
      ...globalThis.process.env,
      ...(options.rawRetention ? { INFLUX_RAW_RETENTION: options.rawRetention } : {}),
    },
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`create-database.sh ${name}: ${error.stderr ?? error.message}`);
  });
  return `${name}/autogen`;
}
