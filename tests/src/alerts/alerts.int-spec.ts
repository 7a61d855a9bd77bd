import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertChannelStatus, AlertEpisode, AlertRule, AlertRuleInput } from '@meetnet/contracts';
import { writeLines } from '../support/influx-query';
import { recordingClient } from '../support/mqtt-client';
import { startService } from '../support/service';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { startMailbox, startWebhookReceiver } from './alert-receivers';
import { loudNoiseRule, writeRulesFile } from './alert-rules-file';

const HOUR = 3_600_000;
const SECRET = 'webhook-secret-0123456789';

const O3_RULE: AlertRuleInput = {
  name: 'O3 8-uursgemiddelde boven 100 µg/m³',
  enabled: true,
  quantity: { kind: 'field', domain: 'air', field: 'o3' },
  scope: { sensors: ['leuven/air/o3-station'] },
  period: { kind: 'mean', hours: 8, align: 'rolling' },
  threshold: 100,
  clearBelow: 90,
  minDurationS: 0,
  minCoverage: 0.75,
  recipients: { roles: ['officer'], channels: ['hook', 'mail'] },
};
const NOISE_RULE = loudNoiseRule({
  scope: { cities: ['gent'] },
  recipients: { roles: ['technician'], channels: ['mail'] },
});

const FLAP_RULE: AlertRuleInput = {
  ...NOISE_RULE,
  name: 'Geluid rond 70 dB(A), zonder hysterese',
  scope: { cities: ['brugge'] },
  clearBelow: undefined,
  recipients: { roles: ['technician'], channels: ['digest', 'broken', 'narrow'] },
};

function verifySignature(call: { headers: Record<string, unknown>; body: string }): boolean {
  const timestamp = String(call.headers['x-meetnet-timestamp']);
  const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${call.body}`).digest('hex')}`;
  const given = Buffer.from(String(call.headers['x-meetnet-signature']));
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

describe('alerts: rules judged on averaging periods, told once by webhook and e-mail', () => {
  let stack: TestStack;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let digestHook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let brokenHook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let slowHook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let env: Record<string, string>;
  /** The start of the hour whose 8-hour window first goes above 100. */
  let h0: number;

  beforeAll(async () => {
    hook = await startWebhookReceiver(2);
    digestHook = await startWebhookReceiver(0);
    brokenHook = await startWebhookReceiver(Number.POSITIVE_INFINITY);
    slowHook = await startWebhookReceiver(Number.POSITIVE_INFINITY);
    mailbox = await startMailbox();
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-alerts-'));
    const channelsFile = join(dir, 'channels.json');
    writeFileSync(join(dir, 'webhook.secret'), `${SECRET}\n`);
    writeFileSync(
      channelsFile,
      JSON.stringify({
        channels: [
          { id: 'hook', kind: 'webhook', url: hook.url, secretFile: 'webhook.secret', retryBaseMs: 50 },
          { id: 'mail', kind: 'email', to: ['milieu@stad.example'] },
          {
            id: 'digest',
            kind: 'webhook',
            url: digestHook.url,
            secretFile: 'webhook.secret',
            digestS: 2,
            events: ['opened', 'closed'],
          },
          {
            id: 'broken',
            kind: 'webhook',
            url: brokenHook.url,
            secretFile: 'webhook.secret',
            maxAttempts: 3,
            retryBaseMs: 20,
          },
          // One delivery at a time, retried after 2 s: what comes meanwhile is not queued.
          {
            id: 'narrow',
            kind: 'webhook',
            url: slowHook.url,
            secretFile: 'webhook.secret',
            maxAttempts: 2,
            retryBaseMs: 2000,
            maxPending: 1,
          },
        ],
      }),
    );
    const rulesFile = writeRulesFile({ 'o3-8h': O3_RULE, 'noise-gent': NOISE_RULE, flap: FLAP_RULE }, dir);
    env = {
      ALERTS_RULES_FILE: rulesFile,
      ALERTS_CHANNELS_FILE: channelsFile,
      SMTP_URL: mailbox.url,
      ALERTS_EVAL_INTERVAL_MS: '300',
      ALERTS_SETTLE_S: '0',
      ALERTS_CATCH_UP_H: '24',
      MQTT_CLIENT_ID: `alerts-${process.pid}`,
    };
    // Hourly O3 (four readings an hour) in the 13 hours before this one; hour 6 is missing.
    h0 = Math.floor(Date.now() / HOUR) * HOUR - 13 * HOUR;
    const hourly = [70, 70, 70, 70, 150, 150, undefined, 150, 50, 50, 50, 50, 50];
    const lines = hourly.flatMap((value, hour) =>
      value === undefined
        ? []
        : [0, 15, 30, 45].map(
            (minute) =>
              `air,city=leuven,sensor_id=o3-station o3=${value} ${h0 + hour * HOUR + minute * 60_000}`,
          ),
    );
    // The stack starts on an InfluxDB that already holds the data, as after a backfill.
    stack = await startTestStack(env);
    await writeLines(stack.influxUrl, stack.bucket, lines);
    // Windows judged at start found no data yet; a changed rule is judged afresh from the catch-up.
    const put = await stack.service.fetchAs('admin', '/api/v1/alerts/rules/o3-8h', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(O3_RULE),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
    await hook?.stop();
    await digestHook?.stop();
    await brokenHook?.stop();
    await slowHook?.stop();
    await mailbox?.stop();
  });

  /** A channel's deliveries, as admins see them. */
  const channel = async (id: string) => {
    const response = await stack.service.fetchAs('admin', '/api/v1/alerts/channels');
    return ((await response.json()) as AlertChannelStatus[]).find((c) => c.id === id)!;
  };

  const episodes = async (role: 'officer' | 'technician' | 'admin', query = 'state=all') => {
    const response = await stack.service.fetchAs(role, `/api/v1/alerts/episodes?${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { episodes: AlertEpisode[] }).episodes;
  };

  it('finds the hand-worked 8-hour O3 episode through a gap: start, end, peak and coverage', async () => {
    const [episode] = await waitFor('the O3 episode to close', async () => {
      const found = (await episodes('officer')).filter((e) => e.ruleId === 'o3-8h' && e.end !== undefined);
      return found.length > 0 ? found : undefined;
    });
    // Window 0–8 h: seven hours (hour 6 missing), (4×70 + 3×150) / 7 = 104.3 > 100: opens.
    // Windows to 9–12 h stay above 90 (hysteresis); 5–13 h, (2×150 + 5×50) / 7 = 78.6, closes it.
    expect(episode).toMatchObject({ start: h0, end: h0 + 12 * HOUR, peakAt: h0 + 8 * HOUR, unit: 'µg/m³' });
    expect(episode!.peak).toBeCloseTo(730 / 7, 6);
    expect(episode!.coverage).toBeCloseTo(7 / 8, 6);
    expect((await episodes('officer')).filter((e) => e.ruleId === 'o3-8h')).toHaveLength(1);
  });

  it('delivers the opening once to a webhook that failed twice, signed with the channel secret', async () => {
    const [delivered] = await waitFor('a delivery the receiver accepted', () =>
      hook.accepted().length > 0 ? hook.accepted() : undefined,
    );
    expect(hook.calls).toHaveLength(3);
    expect(new Set(hook.calls.map((call) => call.headers['x-meetnet-delivery'])).size).toBe(1);
    expect(verifySignature(delivered!)).toBe(true);
    expect(verifySignature({ ...delivered!, body: delivered!.body.replace('o3-8h', 'o3-1h') })).toBe(false);
    const body = JSON.parse(delivered!.body) as {
      events: { type: string; episode: AlertEpisode }[];
      text: string;
    };
    expect(body.events.map((e) => [e.type, e.episode.ruleId])).toEqual([['opened', 'o3-8h']]);
    expect(await channel('hook')).toMatchObject({
      delivered: 1,
      failedAttempts: 2,
      pending: 0,
      deadLetters: [],
    });
  });

  it('sends exactly one Dutch e-mail for the episode', async () => {
    await waitFor('the e-mail', () => (mailbox.messages.length > 0 ? true : undefined));
    const o3Mails = mailbox.messages.filter((m) => m.subject?.includes('O3'));
    expect(o3Mails).toHaveLength(1);
    expect(o3Mails[0]!.subject).toBe(
      '[Meetnet] Nieuwe melding: O3 8-uursgemiddelde boven 100 µg/m³ (leuven/air/o3-station)',
    );
    expect(o3Mails[0]!.text).toContain('Hoogste waarde: 104,3 µg/m³ (grens 100 µg/m³)');
    expect(o3Mails[0]!.text).toContain('Gegevens beschikbaar: 88% van de periode');
  });

  it('shows episodes only to the roles their rule names, and exports them as CSV', async () => {
    expect((await episodes('technician')).filter((e) => e.ruleId === 'o3-8h')).toEqual([]);
    const csv = await (
      await stack.service.fetchAs('officer', '/api/v1/alerts/episodes?state=all&format=csv')
    ).text();
    const [header, row] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toBe(
      'id,rule_id,rule_name,sensor,start,end,peak,unit,threshold,coverage,acknowledged_by,resolved_by',
    );
    expect(row).toContain(
      `o3-8h,O3 8-uursgemiddelde boven 100 µg/m³,leuven/air/o3-station,${new Date(h0).toISOString()}`,
    );
  });

  it('keeps one episode open across a restart, and closes it with a reading that came while the service was down', async () => {
    const { client } = await recordingClient(stack.broker.url, []);
    const publish = (laeq: number, ts: number) =>
      client.publishAsync('meetnet/gent/noise/nm-1/obs', JSON.stringify({ ts, laeq, periodS: 60 }), {
        qos: 1,
      });
    const t = Date.now() - 60_000;
    await publish(75, t);
    const [open] = await waitFor('the noise episode', async () => {
      const found = (await episodes('technician', 'state=open')).filter((e) => e.ruleId === 'noise-gent');
      return found.length > 0 ? found : undefined;
    });
    expect(open).toMatchObject({ start: t, peak: 75, key: 'gent/noise/nm-1' });

    await stack.service.stop();
    // Above the threshold again, then below its clear level: both wait in the broker.
    await publish(72, t + 10_000);
    await publish(60, t + 20_000);
    stack.service = await startService({
      ...env,
      MQTT_URL: stack.broker.url,
      INFLUX_URL: stack.influxUrl,
      INFLUX_BUCKET: stack.bucket,
    });
    await client.endAsync();

    const closed = await waitFor('the noise episode to close', async () => {
      const found = (await episodes('technician')).filter((e) => e.ruleId === 'noise-gent');
      return found.every((e) => e.end !== undefined) && found.length > 0 ? found : undefined;
    });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ start: t, end: t + 20_000, peak: 75 });
    const noiseMails = mailbox.messages.filter((m) => m.subject?.includes('Geluid'));
    expect(noiseMails).toHaveLength(1);
  });

  it('gathers a flapping sensor into one digest, and keeps what a dead receiver refused as dead letters', async () => {
    const { client } = await recordingClient(stack.broker.url, []);
    const t = Date.now() - 30_000;
    for (const [i, laeq] of [75, 60, 75, 60, 75, 60].entries()) {
      await client.publishAsync(
        'meetnet/brugge/noise/nm-2/obs',
        JSON.stringify({ ts: t + i * 1000, laeq, periodS: 1 }),
        {
          qos: 1,
        },
      );
    }
    await client.endAsync();
    const [digest] = await waitFor(
      'the digest',
      () => (digestHook.accepted().length > 0 ? digestHook.accepted() : undefined),
      10_000,
    );
    const body = JSON.parse(digest!.body) as { events: { type: string }[]; text: string };
    expect(body.events.map((e) => e.type)).toEqual([
      'opened',
      'closed',
      'opened',
      'closed',
      'opened',
      'closed',
    ]);
    expect(body.text).toContain('Melding voorbij: Geluid rond 70 dB(A), zonder hysterese');
    const broken = await waitFor('the dead letters', async () => {
      const status = await channel('broken');
      return status.deadLetters.length === 3 && status.pending === 0 ? status : undefined;
    });
    // Three openings (closings are not its events), each tried three times.
    expect(broken).toMatchObject({ delivered: 0, failedAttempts: 9 });
    expect(broken.lastError).toContain('HTTP 503');
    expect(brokenHook.calls).toHaveLength(9);
    expect(digestHook.calls).toHaveLength(1);
    // A dead receiver with a bound on waiting deliveries: the first is tried, the others are
    // dead letters at once, so a flapping sensor cannot grow the queue.
    const narrow = await waitFor('the narrow channel to give up', async () => {
      const status = await channel('narrow');
      return status.deadLetters.length === 3 && status.pending === 0 ? status : undefined;
    });
    expect(narrow.failedAttempts).toBe(2);
    expect(slowHook.calls).toHaveLength(2);
    expect(narrow.deadLetters.filter((letter) => letter.attempts === 0)).toHaveLength(2);
    expect(narrow.deadLetters.find((letter) => letter.attempts === 0)!.error).toContain('maxPending');
  });

  it('lets the addressed roles acknowledge, and refuses a rule that makes no sense with the reason', async () => {
    const [episode] = (await episodes('technician')).filter((e) => e.ruleId === 'noise-gent');
    const acknowledged = await stack.service.fetchAs(
      'technician',
      `/api/v1/alerts/episodes/${episode!.id}/acknowledge`,
      {
        method: 'POST',
      },
    );
    expect(acknowledged.status).toBe(200);
    expect(((await acknowledged.json()) as AlertEpisode).acknowledgedBy).toBe('technician-test');
    const notMine = await stack.service.fetchAs(
      'analyst',
      `/api/v1/alerts/episodes/${episode!.id}/acknowledge`,
      {
        method: 'POST',
      },
    );
    expect(notMine.status).toBe(404);

    const put = (body: unknown, role: 'admin' | 'officer' = 'admin') =>
      stack.service.fetchAs(role, '/api/v1/alerts/rules/bad', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const lnightOnAir = await put({ ...O3_RULE, period: { kind: 'lnight' } });
    expect(lnightOnAir.status).toBe(400);
    expect(((await lnightOnAir.json()) as { message: string }).message).toContain(
      'lnight is a noise indicator',
    );
    const unknownChannel = await put({ ...O3_RULE, recipients: { roles: [], channels: ['pager'] } });
    expect(((await unknownChannel.json()) as { message: string }).message).toContain('no channel pager');
    expect((await put(O3_RULE, 'officer')).status).toBe(403);
    const badId = await stack.service.fetchAs('admin', '/api/v1/alerts/rules/Bad_Id', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(O3_RULE),
    });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toContain('Invalid rule id Bad_Id');
    const rules = (await (
      await stack.service.fetchAs('officer', '/api/v1/alerts/rules')
    ).json()) as AlertRule[];
    expect(rules.map((r) => [r.id, r.version])).toEqual([
      ['flap', 1],
      ['noise-gent', 1],
      ['o3-8h', 2],
    ]);
  });
});
