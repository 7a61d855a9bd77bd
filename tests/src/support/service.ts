import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import { SERVICE_MAIN } from './paths';
import { waitFor } from './wait-for';

export interface ServiceInstance {
  url: string;
  process: Started;
  logFile: string;
  /** Current value of one Prometheus sample, such as `meetnet_ingest_rejected_total{reason="bad_topic"}`. */
  metric: (sample: string) => Promise<number>;
  stop: () => Promise<number | null>;
}

/** The ingestion service as its own process, driven only through MQTT and HTTP. */
export async function startService(env: Record<string, string | undefined>): Promise<ServiceInstance> {
  const port = await freePort();
  const logFile = join(mkdtempSync(join(tmpdir(), 'meetnet-service-')), 'service.log');
  const process = startProcess('node', [SERVICE_MAIN], {
    env: {
      PATH: globalThis.process.env['PATH'],
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      INFLUX_TOKEN: 'meetnet:test',
      INFLUX_FLUSH_INTERVAL_MS: '200',
      ...env,
    },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the service to be ready',
    async () => {
      if (process.child.exitCode !== null) throw new Error(`service exited with ${process.child.exitCode}`);
      return (await fetch(`${url}/readyz`)).ok || undefined;
    },
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${process.output().slice(-5000)}`);
  });
  return {
    url,
    process,
    logFile,
    metric: async (sample) => metricValue(await (await fetch(`${url}/metrics`)).text(), sample),
    stop: () => process.stop('SIGTERM'),
  };
}

export function metricValue(exposition: string, sample: string): number {
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  throw new Error(`no sample ${sample} in /metrics`);
}
