import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertEvent } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { createDatabase } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import type { ServiceInstance } from '../support/service';
import { startShareGroup } from '../support/share-group';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from './alert-receivers';
import { loudNoiseRule, writeRulesFile } from './alert-rules-file';

const REDIS_URL = process.env['MEETNET_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('alerts with two instances (share group, Redis lease)', () => {
  let broker: MosquittoInstance;
  let services: ServiceInstance[] = [];
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await broker?.stop();
    await hook?.stop();
  });

  const events = () =>
    hook.accepted().flatMap((call) => (JSON.parse(call.body) as { events: AlertEvent[] }).events);
  const holderOf = (candidates: ServiceInstance[]) =>
    candidates.find((s) => s.process.output().includes('job lease acquired'));

  it('judges each reading once, whichever instance took it in, and moves the job when its holder dies', async () => {
    hook = await startWebhookReceiver(0);
    broker = await startMosquitto();
    const bucket = await createDatabase(influxUrl(), `alerts_ha_${randomUUID().replace(/-/g, '')}`);
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-alerts-ha-'));
    const rulesFile = writeRulesFile(
      { loud: loudNoiseRule({ recipients: { roles: ['officer'], channels: ['hook'] } }) },
      dir,
    );
    writeFileSync(join(dir, 'hook.secret'), 'a-secret-of-twenty-chars');
    writeFileSync(
      join(dir, 'channels.json'),
      JSON.stringify({
        channels: [
          {
            id: 'hook',
            kind: 'webhook',
            url: hook.url,
            secretFile: 'hook.secret',
            events: ['opened', 'closed'],
          },
        ],
      }),
    );
    services = await startShareGroup('alerts-ha', 2, {
      MQTT_URL: broker.url,
      INFLUX_URL: influxUrl(),
      INFLUX_BUCKET: bucket,
      REDIS_URL,
      ALERTS_RULES_FILE: rulesFile,
      ALERTS_CHANNELS_FILE: join(dir, 'channels.json'),
      ALERTS_EVAL_INTERVAL_MS: '500',
    });
    const holder = await waitFor('one instance to hold the alert job', () => holderOf(services));
    expect(services.filter((s) => s.process.output().includes('job lease acquired'))).toHaveLength(1);

    // Twenty readings of one sensor, split between the instances by the share group.
    const device = await connectAsync(broker.url, { protocolVersion: 5 });
    const t = Date.now() - 2000;
    const levels = [60, 60, 75, 78, 74, 72, 76, 71, 73, 77, 60, 58, 61, 59, 60, 62, 57, 60, 59, 58];
    for (const [i, laeq] of levels.entries()) {
      await device.publishAsync(
        'meetnet/gent/noise/ha-1/obs',
        JSON.stringify({ ts: t + i * 50, laeq, periodS: 1 }),
        {
          qos: 1,
        },
      );
    }
    const accepted = await waitFor('both instances to take in a share', async () => {
      const counts = await Promise.all(
        services.map((s) => s.metric('meetnet_ingest_accepted_total{domain="noise"}')),
      );
      return counts[0]! + counts[1]! >= levels.length ? counts : undefined;
    });
    expect(Math.min(...accepted)).toBeGreaterThan(0);
    await waitFor('the episode to open and close', () => (events().length >= 2 ? true : undefined), 30_000);
    // One episode: 75 opens it, the 70s keep it open (hysteresis), 60 closes it.
    expect(events().map((e) => [e.type, e.episode.start, e.episode.peak, e.episode.end])).toEqual([
      ['opened', t + 100, 75, undefined],
      ['closed', t + 100, 78, t + 500],
    ]);

    // The holder dies; the other takes the job over within seconds and carries on.
    await holder.process.stop('SIGKILL');
    const survivor = services.find((s) => s !== holder)!;
    services = [survivor];
    await waitFor('the survivor to take the job', () => holderOf([survivor]), 30_000);
    // A dead member's persistent session may still be handed some of a share group's messages
    // (they wait for it in the broker); a few readings make sure the survivor gets some.
    const later = Date.now();
    for (let i = 0; i < 6; i++) {
      await device.publishAsync(
        'meetnet/gent/noise/ha-1/obs',
        JSON.stringify({ ts: later + i * 10, laeq: 80 + i, periodS: 1 }),
        { qos: 1 },
      );
    }
    await device.endAsync();
    await waitFor(
      'a second episode, from the survivor',
      () => (events().length >= 3 ? true : undefined),
      30_000,
    );
    const [second, ...rest] = events().slice(2);
    expect(rest).toEqual([]);
    expect(second!.type).toBe('opened');
    expect(second!.episode.start).toBeGreaterThanOrEqual(later);
    expect(survivor.process.output()).toContain('"from":"Redis"');
  });
});
