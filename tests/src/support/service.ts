import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import type { Role } from '@meetnet/contracts';
import { SERVICE_MAIN, TEST_DASHBOARD_DIR } from './paths';
import { signIn, testUsersFile } from './test-users';
import { waitFor } from './wait-for';

export interface ServiceInstance {
  url: string;
  process: Started;
  logFile: string;
  /** Current value of one Prometheus sample, such as `meetnet_ingest_rejected_total{reason="bad_topic"}`. */
  metric: (sample: string) => Promise<number>;
  /** The whole exposition, for reading many samples at one moment (with metricValue). */
  metrics: () => Promise<string>;
  /** A session cookie (`Cookie` header value) for the test account with this role. */
  signIn: (role: Role) => Promise<string>;
  /** GET (or anything) as that role. */
  fetchAs: (role: Role, path: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<number | null>;
}

/** The ingestion service as its own process, driven only through MQTT and HTTP. */
export async function startService(env: Record<string, string | undefined>): Promise<ServiceInstance> {
  const port = env['HTTP_PORT'] ? Number(env['HTTP_PORT']) : await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-service-'));
  const logFile = join(dir, 'service.log');
  const process = startProcess('node', [...nodeArgs(), SERVICE_MAIN], {
    env: {
      PATH: globalThis.process.env['PATH'],
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      DASHBOARD_DIR: TEST_DASHBOARD_DIR,
      INFLUX_WRITE_TOKEN: 'meetnet:test',
      INFLUX_READ_TOKEN: 'meetnet:test',
      SESSION_SECRET: 'test-session-secret-0123456789abcdef',
      USERS_FILE: await testUsersFile(),
      // Tests poll; the rate-limit test sets its own limits.
      RATE_LIMIT_READS_PER_MIN: '1000000',
      // Fault tests publish thousands a second for 50 sensors; the flooding tests set a budget.
      INGEST_DEVICE_RATE_PER_S: '1000000',
      INGEST_DEVICE_BURST: '10000000',
      INFLUX_FLUSH_INTERVAL_MS: '200',
      SPOOL_DIR: join(dir, 'spool'),
      ALERTS_RULES_FILE: join(dir, 'alert-rules.json'),
      // Most tests write their data straight into InfluxDB, past the service's late-data
      // check; the rollup tests turn the job on.
      ROLLUPS_INTERVAL_MS: '0',
      ROLLUPS_LATE_FILE: join(dir, 'rollup-late-hours'),
      ...env,
    },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  const cookies: Partial<Record<Role, string>> = {};
  const exitedEarly = process.exited.then((code) => {
    throw new Error(`the service exited with ${code} before it was ready`);
  });
  exitedEarly.catch(() => undefined);
  const ready = waitFor(
    'the service to be ready',
    async () => (await fetch(`${url}/readyz`)).ok || undefined,
    30_000,
  );
  await Promise.race([ready, exitedEarly]).catch(async (error: Error) => {
    // A service that never became ready must not outlive the test that gave up on it.
    await process.stop('SIGKILL').catch(() => undefined);
    throw new Error(`${error.message}\n${process.output().slice(-5000)}`);
  });
  return {
    url,
    process,
    logFile,
    metric: async (sample) => metricValue(await exposition(url), sample),
    metrics: () => exposition(url),
    signIn: (role) => signIn(url, role),
    fetchAs: async (role, path, init = {}) => {
      cookies[role] ??= await signIn(url, role);
      return fetch(`${url}${path}`, { ...init, headers: { ...init.headers, Cookie: cookies[role] } });
    },
    stop: () => process.stop('SIGTERM'),
  };
}

/**
 * GET /metrics, once more if the connection is reset: a test that polls a loaded service for
 * minutes meets the keep-alive race (a reused socket closed under the request), which is the
 * HTTP client's, not the service's.
 */
async function exposition(url: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(`${url}/metrics`)).text();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

export function metricValue(exposition: string, sample: string): number {
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  throw new Error(`no sample ${sample} in /metrics`);
}

/** Extra node flags for the service, such as `--cpu-prof` when a benchmark profiles it. */
function nodeArgs(): string[] {
  return globalThis.process.env['MEETNET_SERVICE_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
}
