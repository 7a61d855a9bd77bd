import { startInfluxd } from './influxd';

/** One real influxd for the integration run; each test file makes its own database in it. */
export default async function globalSetup(): Promise<void> {
  const influxd = await startInfluxd();
  process.env['MEETNET_TEST_INFLUX_URL'] = influxd.url;
  (globalThis as { __meetnetInfluxd?: typeof influxd }).__meetnetInfluxd = influxd;
}
