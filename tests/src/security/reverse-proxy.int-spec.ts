import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { freePort } from '../support/free-port';
import { createDatabase } from '../support/influxd';
import { startNginx, type NginxProxy } from '../support/nginx';
import { type ServiceInstance, startService } from '../support/service';
import { influxUrl } from '../support/test-stack';

/** A failed sign-in through the proxy, from one loopback address: the status code. */
function signInFrom(localAddress: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ name: 'nobody-here', password: 'wrong password' });
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('behind a real nginx, rate limits count clients, not the proxy', () => {
  let service: ServiceInstance;
  let proxy: NginxProxy;

  beforeAll(async () => {
    const bucket = await createDatabase(influxUrl(), `proxy_${randomUUID().replace(/-/g, '')}`);
    service = await startService({
      INFLUX_URL: influxUrl(),
      INFLUX_BUCKET: bucket,
      MQTT_EMBEDDED_PORT: String(await freePort()),
      RATE_LIMIT_LOGINS_PER_MIN: '3',
      // nginx runs on this machine's loopback, so that is whose X-Forwarded-For we believe.
      TRUST_PROXY: 'loopback',
    });
    proxy = await startNginx([service.url]);
  });
  afterAll(async () => {
    await proxy?.stop();
    await service?.stop();
  });

  it("stops one client at its sign-in budget while another client's attempts still count as its own", async () => {
    const guesser: number[] = [];
    for (let i = 0; i < 5; i++) guesser.push(await signInFrom('127.0.0.2', proxy.port));
    expect(guesser).toEqual([401, 401, 401, 429, 429]);
    // A colleague behind the same proxy is not locked out by the guesser.
    expect(await signInFrom('127.0.0.3', proxy.port)).toBe(401);
  });
});
