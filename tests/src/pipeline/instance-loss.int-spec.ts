import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIVE_NAMESPACE, type SensorHealth, type SensorLatest } from '@meetnet/contracts';
import { io, type Socket } from 'socket.io-client';
import { NumberedPublisher, SENSORS } from '../faults/numbered-publisher';
import { storedSequences } from '../faults/stored-sequences';
import { createDatabase } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { type NginxProxy, startNginx } from '../support/nginx';
import { type ServiceInstance, startService } from '../support/service';
import { influxUrl } from '../support/test-stack';
import { signIn } from '../support/test-users';
import { waitFor } from '../support/wait-for';

const REDIS_URL = process.env['MEETNET_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const GROUP = 'loss';
const RATE = 2000;
const COUNT = 60_000;
const KILL_AT_S = 4;
/** The dead instance stays away this long: longer than a sensor may be silent before it is stale. */
const AWAY_S = 20;

describe('one of two instances dies under load (nginx in front, Redis between)', () => {
  let broker: MosquittoInstance;
  let proxy: NginxProxy | undefined;
  const instances: ServiceInstance[] = [];
  let socket: Socket | undefined;
  let publisher: NumberedPublisher | undefined;

  afterAll(async () => {
    socket?.disconnect();
    await publisher?.close().catch(() => undefined);
    await proxy?.stop();
    await Promise.all(instances.map((s) => s.stop()));
    await broker?.stop();
  });

  it('loses and repeats nothing, moves the live client and the health job to the survivor, and flags no sensor', async () => {
    broker = await startMosquitto();
    const bucket = await createDatabase(influxUrl(), `loss_${randomUUID().replace(/-/g, '')}`);
    const envOf = (i: number) => ({
      MQTT_URL: broker.url,
      MQTT_CLIENT_ID: `${GROUP}-${i}`,
      MQTT_SHARE_GROUP: GROUP,
      INFLUX_URL: influxUrl(),
      INFLUX_BUCKET: bucket,
      REDIS_URL,
      SPOOL_DIR: join(mkdtempSync(join(tmpdir(), `meetnet-loss-${i}-`)), 'spool'),
      HEALTH_EVAL_INTERVAL_MS: '500',
      // Each sensor is due every 2 s: stale after 6 s without an observation, offline after 10.
      // Mosquitto keeps queueing the dead member's share (here: every odd sensor, all of its
      // messages) until a survivor takes its session over, ≤ 8 s after the kill.
      HEALTH_DEFAULT_INTERVAL_S: '2',
      // An anonymous test broker: any instance may sign in under another's client id.
      MQTT_TAKE_OVER_SESSIONS: 'on',
    });
    const envs = [envOf(0), envOf(1)];
    for (const env of envs) instances.push(await startService(env));
    await waitFor(
      `both members of ${GROUP}`,
      () =>
        instances.every((s) => s.process.output().includes(`$share/${GROUP}/meetnet/+/+/+/obs`)) || undefined,
    );
    proxy = await startNginx(instances.map((s) => s.url));
    const viaNginx = `http://127.0.0.1:${proxy.port}`;

    // A live client through nginx, re-subscribing on every (re)connect, as the dashboard does.
    const snapshots: { at: number; sensors: SensorLatest[] }[] = [];
    socket = io(`${viaNginx}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      extraHeaders: { Cookie: await signIn(viaNginx, 'officer') },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
    });
    socket.on('snapshot', (sensors: SensorLatest[]) => snapshots.push({ at: Date.now(), sensors }));
    socket.on('connect', () => void socket!.emitWithAck('subscribe', { layers: ['air'] }));
    await waitFor('the first snapshot', () => snapshots.length > 0 || undefined);
    const liveSockets = await Promise.all(instances.map((s) => s.metric('meetnet_live_sockets')));
    const victim = liveSockets.indexOf(1);
    expect(liveSockets.sort()).toEqual([0, 1]);
    const survivor = instances[1 - victim]!;

    publisher = await NumberedPublisher.connect(broker.url);
    const base = Date.now() - 60_000;
    const publishing = publisher.publish({ count: COUNT, ratePerS: RATE, base });
    await new Promise((resolve) => setTimeout(resolve, KILL_AT_S * 1000));
    const killedAt = Date.now();
    await instances[victim]!.process.stop('SIGKILL');
    const snapshotsBefore = snapshots.length;

    // The client is back, through nginx, on the survivor, with every sensor in its snapshot.
    const again = await waitFor(
      'a snapshot after the kill',
      () => snapshots.slice(snapshotsBefore).find((s) => s.sensors.length >= SENSORS),
      15_000,
      50,
    );
    const reconnectMs = again.at - killedAt;
    process.stdout.write(`live client: complete snapshot ${reconnectMs} ms after the kill\n`);
    expect(reconnectMs).toBeLessThanOrEqual(5000);
    expect(await survivor.metric('meetnet_live_sockets')).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + AWAY_S * 1000 - Date.now())));
    expect(survivor.process.output()).toMatch(/instance is silent: this one takes in what the broker queues/);
    // The survivor runs the health job now (it took the lease, or held it already).
    expect(survivor.process.output()).toMatch(/"job":"health-evaluation".*job lease acquired/);
    const health = (await (await survivor.fetchAs('technician', '/api/v1/health/sensors')).json()) as {
      sensors: SensorHealth[];
    };
    const flagged = health.sensors.filter((s) =>
      s.problems.some((p) => p.problem === 'stale' || p.problem === 'offline'),
    );
    expect(flagged.map((s) => s.key)).toEqual([]);
    expect(health.sensors.filter((s) => s.key.startsWith('faultville/'))).toHaveLength(SENSORS);

    // The dead instance comes back on its session and spool, and takes its session back.
    instances[victim] = await startService(envs[victim]!);
    await waitFor(
      'the session handed back',
      () => survivor.process.output().includes('taken-over session closed') || undefined,
    );
    await publishing;
    await publisher.settle();
    const expected = publisher.acknowledged.size;
    expect(expected).toBe(COUNT);
    const stored = await waitFor(
      'every acknowledged message in InfluxDB',
      async () => {
        const count = await storedSequences(influxUrl(), bucket, base, COUNT);
        return count.sequences.size >= expected ? count : undefined;
      },
      60_000,
      1000,
    );
    expect({
      lost: [...publisher.acknowledged].filter((seq) => !stored.sequences.has(seq)).length,
      duplicates: stored.points - stored.sequences.size + stored.foreign,
    }).toEqual({ lost: 0, duplicates: 0 });
  });
});
