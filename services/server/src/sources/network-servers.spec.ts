import { NETWORK_SERVERS } from './network-servers';

const ttn = NETWORK_SERVERS['ttn-v3'];
const chirpstack = NETWORK_SERVERS['chirpstack-v4'];
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('The Things Stack v3 uplinks', () => {
  const topic = 'v3/app1@tenant1/devices/dev1/up';
  const uplink = (message: Record<string, unknown>) =>
    json({
      end_device_ids: { dev_eui: '0004A30B001C0530' },
      received_at: '2026-11-30T10:00:00.123456789Z',
      uplink_message: message,
    });

  it('reads the device from the topic, the time, the decoded values and the best gateway', () => {
    const parsed = ttn.parse(
      topic,
      uplink({
        session_key_id: 'AXA50…',
        f_cnt: 42,
        decoded_payload: { LAeq: 47.4 },
        rx_metadata: [{ rssi: -110 }, { rssi: -35 }, { snr: 3 }],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      device: 'dev1',
      receivedAt: Date.parse('2026-11-30T10:00:00.123Z'),
      decoded: { LAeq: 47.4 },
      dedupeKey: '0004A30B001C0530/AXA50…/42',
      rssi: -35,
    });
  });

  it('takes the first uplink after a join, which has no f_cnt at all, as counter 0', () => {
    const parsed = ttn.parse(topic, uplink({ session_key_id: 'S', decoded_payload: { x: 1 } }));
    expect(parsed.ok && parsed.dedupeKey).toBe('0004A30B001C0530/S/0');
  });

  it('gives a counter reset after a rejoin a new key: a new session, not a repeat', () => {
    const before = ttn.parse(topic, uplink({ session_key_id: 'old', f_cnt: 3, decoded_payload: { x: 1 } }));
    const after = ttn.parse(topic, uplink({ session_key_id: 'new', f_cnt: 3, decoded_payload: { x: 1 } }));
    expect(before.ok && after.ok && before.dedupeKey !== after.dedupeKey).toBe(true);
  });

  it('refuses what it cannot read, saying why', () => {
    expect(ttn.parse(topic, Buffer.from('{"uplink'))).toMatchObject({ ok: false, reason: 'malformed_json' });
    expect(ttn.parse(topic, json([1, 2]))).toMatchObject({ ok: false, reason: 'malformed_json' });
    expect(ttn.parse(topic, uplink({ f_cnt: 1 }))).toMatchObject({
      ok: false,
      reason: 'missing_field',
      detail: 'no decoded_payload: the application has no payload formatter',
    });
  });

  it('subscribes to one application', () => {
    expect(ttn.uplinkFilter('meetnet-leuven@ttn')).toBe('v3/meetnet-leuven@ttn/devices/+/up');
  });
});

describe('ChirpStack v4 up events', () => {
  const topic = 'application/17c82e96/device/0101010101010101/event/up';

  it("keeps f64 numbers as numbers and prefers the network server's own time to the gateway's", () => {
    const parsed = chirpstack.parse(
      topic,
      json({
        deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
        time: '2026-11-28T10:00:00+00:00',
        fCnt: 10,
        object: { id: 10.0, pm: { value: 3.9 } },
        rxInfo: [{ nsTime: '2026-11-30T10:00:00.5+00:00', rssi: -106 }],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      device: '0101010101010101',
      receivedAt: Date.parse('2026-11-30T10:00:00.500Z'),
      decoded: { id: 10, pm: { value: 3.9 } },
      dedupeKey: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
      rssi: -106,
    });
  });

  it('falls back to `time`, and to the counter, as events before v4.6 give them', () => {
    const parsed = chirpstack.parse(
      topic,
      json({ time: '2026-11-30T10:00:00+00:00', fCnt: 7, object: { x: 1 } }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      receivedAt: Date.parse('2026-11-30T10:00:00Z'),
      dedupeKey: '0101010101010101/7',
    });
  });

  it('refuses an event without a codec output', () => {
    expect(chirpstack.parse(topic, json({ time: '2026-11-30T10:00:00+00:00', data: 'AQ==' }))).toMatchObject({
      ok: false,
      reason: 'missing_field',
      detail: 'no object: the device profile has no codec',
    });
  });
});
