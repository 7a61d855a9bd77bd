import { randomUUID } from 'node:crypto';
import { createDatabase } from './influxd';
import { type MosquittoInstance, startMosquitto } from './mosquitto';
import { type ServiceInstance, startService } from './service';

export interface TestStack {
  broker: MosquittoInstance;
  service: ServiceInstance;
  influxUrl: string;
  bucket: string;
  stop: () => Promise<void>;
}

export function influxUrl(): string {
  const url = process.env['MEETNET_TEST_INFLUX_URL'];
  if (!url) throw new Error('MEETNET_TEST_INFLUX_URL unset: run through jest (globalSetup starts influxd)');
  return url;
}

/** A fresh database, a private Mosquitto and a service wired to both. */
export async function startTestStack(serviceEnv: Record<string, string> = {}): Promise<TestStack> {
  const url = influxUrl();
  const bucket = await createDatabase(url, `test_${randomUUID().replace(/-/g, '')}`);
  const broker = await startMosquitto();
  const service = await startService({
    MQTT_URL: broker.url,
    INFLUX_URL: url,
    INFLUX_BUCKET: bucket,
    ...serviceEnv,
  });
  const stack: TestStack = {
    broker,
    service,
    influxUrl: url,
    bucket,
    // The service in the stack now: a test may have restarted it.
    stop: async () => {
      await stack.service.stop();
      await broker.stop();
    },
  };
  return stack;
}
