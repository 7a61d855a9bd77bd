import { buildTopic } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { startProcess } from '../support/child-process';
import { freePort } from '../support/free-port';
import { createDatabase } from '../support/influxd';
import { storedRows } from '../support/influx-query';
import { SERVICE_MAIN } from '../support/paths';
import { startService } from '../support/service';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

describe('service start-up', () => {
  it('refuses bad settings with a message that names each one', async () => {
    const service = startProcess('node', [SERVICE_MAIN], {
      env: {
        PATH: process.env['PATH'],
        HTTP_PORT: 'eighty',
        INFLUX_URL: 'ftp://influx',
        INFLUX_WRITE_TOKEN: 'secret-token',
        INFLUX_READ_TOKEN: 'secret-token',
      },
    });
    expect(await service.exited).toBe(1);
    const output = service.output();
    expect(output).toContain('HTTP_PORT=eighty: must be integer');
    expect(output).toMatch(/INFLUX_URL=ftp:\/\/influx: must match pattern/);
    expect(output).not.toContain('secret-token');
  });

  it('names a missing required setting', async () => {
    const service = startProcess('node', [SERVICE_MAIN], { env: { PATH: process.env['PATH'] } });
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain('INFLUX_WRITE_TOKEN=(unset): is required');
  });

  it('refuses the placeholders from .env.example outside development, naming each', async () => {
    const service = startProcess('node', [SERVICE_MAIN], {
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'production',
        MQTT_URL: 'mqtts://broker.example:8883',
        INFLUX_WRITE_TOKEN: 'change-me-ingestion-write-token',
        INFLUX_READ_TOKEN: 'change-me-api-read-token',
      },
    });
    expect(await service.exited).toBe(1);
    const output = service.output();
    expect(output).toContain('INFLUX_WRITE_TOKEN=***: is the placeholder from .env.example');
    expect(output).toContain('INFLUX_READ_TOKEN=***: is the placeholder from .env.example');
    expect(output).toContain('SESSION_SECRET=(unset): is required outside development');
    expect(output).not.toContain('change-me');
  });

  it('runs an embedded broker (MQTT 3.1.1, plain subscription) when MQTT_URL is unset', async () => {
    const url = influxUrl();
    const bucket = await createDatabase(url, 'embedded_broker_test');
    const port = await freePort();
    const service = await startService({
      INFLUX_URL: url,
      INFLUX_BUCKET: bucket,
      MQTT_EMBEDDED_PORT: String(port),
    });
    try {
      const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
      const topic = buildTopic({ city: 'gent', domain: 'noise', sensorId: 'embedded-1' }, 'obs');
      await client.publishAsync(topic, JSON.stringify({ ts: Date.now(), periodS: 60, laeq: 61.2 }), {
        qos: 1,
      });
      await client.endAsync();
      const rows = await waitFor('the point in InfluxDB', async () => {
        const found = await storedRows(url, bucket);
        return found.length > 0 ? found : undefined;
      });
      expect(rows.map((r) => [r._measurement, r.city, r.sensor_id, r._field, r._value]).sort()).toEqual([
        ['noise', 'gent', 'embedded-1', 'laeq', 61.2],
        ['noise', 'gent', 'embedded-1', 'period_s', 60],
      ]);
    } finally {
      await service.stop();
    }
  });
});
