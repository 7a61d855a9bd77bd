import { randomUUID } from 'node:crypto';
import { LIVE_NAMESPACE, type SensorHealth, type SensorLatest } from '@meetnet/contracts';
import { io, type Socket } from 'socket.io-client';
import type { Started } from '../support/child-process';
import {
  EXPECTED_PROBLEM as EXPECTED,
  HEALTH_TEST_ENV,
  injectedFaults,
  startFaultySimulation,
} from '../support/health-scenario';
import { createDatabase } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { type ServiceInstance, startService } from '../support/service';
import { startShareGroup } from '../support/share-group';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

// The machine's Redis (as in DESIGN.md); CI runs on the same machine.
const REDIS_URL = process.env['MEETNET_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const FAULT_AFTER_S = 10;

interface SensorCollection {
  features: { properties: SensorLatest }[];
}

/** Two instances of one deployment: one bucket (Redis keys are per bucket), one share group. */
async function pair(name: string, env: Record<string, string>) {
  const bucket = await createDatabase(influxUrl(), `${name}_${randomUUID().replace(/-/g, '')}`);
  const env2 = { INFLUX_URL: influxUrl(), INFLUX_BUCKET: bucket, REDIS_URL, ...env };
  return { instances: await startShareGroup(name, 2, env2), env: env2 };
}

async function snapshotOf(service: ServiceInstance, cookie: string): Promise<SensorLatest[]> {
  const socket: Socket = io(`${service.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    extraHeaders: { Cookie: cookie },
  });
  try {
    const snapshot = new Promise<SensorLatest[]>((resolve) => socket.once('snapshot', resolve));
    expect(
      await socket.emitWithAck('subscribe', { layers: ['air', 'noise', 'mobility', 'weather'] }),
    ).toEqual({
      ok: true,
    });
    return await snapshot;
  } finally {
    socket.disconnect();
  }
}

describe('two instances act as one (shared state over Redis)', () => {
  let broker: MosquittoInstance;
  const services: ServiceInstance[] = [];
  let simulator: Started | undefined;
  const injected = injectedFaults();
  let deploymentEnv: Record<string, string> = {};

  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await simulator?.stop('SIGINT');
    await Promise.all(services.map((s) => s.stop()));
    await broker?.stop();
  });

  it('answers on either instance with every sensor and the same health, though each ingests half', async () => {
    const deployment = await pair('shared_state', { MQTT_URL: broker.url, ...HEALTH_TEST_ENV });
    deploymentEnv = deployment.env;
    const [a, b] = deployment.instances;
    services.push(a!, b!);
    simulator = await startFaultySimulation(broker.url, FAULT_AFTER_S);

    const healthOf = async (service: ServiceInstance) => {
      const response = await service.fetchAs('technician', '/api/v1/health/sensors');
      return new Map(((await response.json()) as { sensors: SensorHealth[] }).sensors.map((s) => [s.key, s]));
    };
    // Every injected fault, found on both instances, with one start: one instance evaluates.
    const found = await waitFor(
      'every injected fault on both instances',
      async () => {
        const [onA, onB] = await Promise.all([healthOf(a!), healthOf(b!)]);
        const both = [...injected].map(([key, fault]) => [
          onA.get(key)?.problems.find((p) => p.problem === EXPECTED[fault]),
          onB.get(key)?.problems.find((p) => p.problem === EXPECTED[fault]),
        ]);
        return both.every(([x, y]) => x && y) ? { both, onA, onB } : undefined;
      },
      FAULT_AFTER_S * 1000 + 45_000,
      500,
    );
    for (const [onA, onB] of found.both) expect(onA!.since).toBe(onB!.since);
    // The share group split the ingest: each instance took in part of it itself...
    const accepted = await Promise.all(
      services.map((s) => s.metric('meetnet_ingest_accepted_total{domain="air"}')),
    );
    expect(Math.min(...accepted)).toBeGreaterThan(0);
    // ...and still no healthy sensor looks silent or stale on either.
    for (const health of [found.onA, found.onB]) {
      const healthy = [...health.values()].filter((s) => !injected.has(s.key));
      expect(healthy).toHaveLength(24);
      expect(healthy.filter((s) => s.problems.length > 0).map((s) => [s.key, s.problems])).toEqual([]);
    }

    // The registry: both list all 40 sensors with their latest values, in REST and the live snapshot.
    for (const service of [a!, b!]) {
      const list = (await (await service.fetchAs('officer', '/api/v1/sensors')).json()) as SensorCollection;
      expect(list.features).toHaveLength(40);
      const withValues = list.features.filter((f) => Object.keys(f.properties.values).length > 0);
      expect(withValues.length).toBeGreaterThanOrEqual(38);
      const snapshot = await snapshotOf(service, await service.signIn('officer'));
      expect(snapshot.filter((s) => Object.keys(s.values).length > 0).length).toBeGreaterThanOrEqual(38);
    }
  });

  it('ends a session signed out on one instance on the other too, live socket included', async () => {
    const [a, b] = services;
    const cookie = await a!.signIn('officer');
    const me = (on: ServiceInstance) => fetch(`${on.url}/api/v1/auth/me`, { headers: { Cookie: cookie } });
    expect((await me(b!)).status).toBe(200);
    const socket: Socket = io(`${b!.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      extraHeaders: { Cookie: cookie },
    });
    const ended = new Promise<string>((resolve) => socket.once('session_ended', resolve));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    const logout = await fetch(`${a!.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(logout.status).toBe(204);
    expect(await ended).toBe('logout');
    socket.disconnect();
    await waitFor('the logout on instance b', async () => ((await me(b!)).status === 401 ? true : undefined));
  });

  it('remembers a logout for an instance that starts after it', async () => {
    const [a] = services;
    const cookie = await a!.signIn('officer');
    expect(
      (await fetch(`${a!.url}/api/v1/auth/logout`, { method: 'POST', headers: { Cookie: cookie } })).status,
    ).toBe(204);
    const later = await startService({
      ...deploymentEnv,
      MQTT_CLIENT_ID: 'shared_state-late',
      MQTT_SHARE_GROUP: 'shared_state',
    });
    services.push(later);
    expect((await fetch(`${later.url}/api/v1/auth/me`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('counts one client’s requests against one budget across both instances', async () => {
    const [a, b] = (await pair('shared_rate', { MQTT_URL: broker.url, RATE_LIMIT_READS_PER_MIN: '20' }))
      .instances;
    services.push(a!, b!);
    const cookie = await a!.signIn('officer');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      for (const service of [a!, b!]) {
        statuses.push((await fetch(`${service.url}/api/v1/sensors`, { headers: { Cookie: cookie } })).status);
      }
    }
    // 30 requests, 15 on each: alone each instance would allow all of them.
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });
});
