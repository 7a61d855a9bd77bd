import type { InfluxdInstance } from './influxd';

export default async function globalTeardown(): Promise<void> {
  const influxd = (globalThis as { __meetnetInfluxd?: InfluxdInstance }).__meetnetInfluxd;
  await influxd?.process.stop('SIGTERM');
}
