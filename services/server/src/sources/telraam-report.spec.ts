import { readTrafficReport, trafficRequest } from './telraam-report';

/** The client library's recorded answer for segment 348917 (Leuven), first row. */
const ROW = {
  instance_id: -1,
  segment_id: 348917,
  date: '2020-10-30T07:00:00.000Z',
  interval: 'hourly',
  uptime: 0.73,
  heavy: 78.0821917808,
  car: 619.1780821918,
  bike: 263.0136986301,
  pedestrian: 72.602739726,
  direction: 1,
  timezone: 'Europe/Brussels',
  v85: 25.5,
};

describe('Telraam traffic reports', () => {
  it('asks for one segment per hour, the end exclusive', () => {
    expect(
      trafficRequest('348917', new Date('2020-10-30T07:00:00Z'), new Date('2020-10-30T09:00:00Z')),
    ).toEqual({
      level: 'segments',
      format: 'per-hour',
      id: '348917',
      time_start: '2020-10-30T07:00:00Z',
      time_end: '2020-10-30T09:00:00Z',
    });
  });

  it('rounds the scaled-up counts to vehicles, keeps V85 and the uptime as a percentage', () => {
    expect(readTrafficReport({ report: [ROW] }, '348917')).toEqual({
      ok: true,
      hours: [
        {
          at: Date.parse('2020-10-30T07:00:00Z'),
          values: { car: 619, bike: 263, pedestrian: 73, heavy: 78, v85: 25.5, uptime: 73 },
        },
      ],
    });
  });

  it("reads the live snapshot's empty strings as missing, and drops an hour nobody counted", () => {
    const partial = { ...ROW, date: '2020-10-30 08:00:00+00:00', v85: '', bike: '' };
    const dark = { ...ROW, date: '2020-10-30T09:00:00.000Z', uptime: 0, car: 0, heavy: 0 };
    const read = readTrafficReport({ report: [partial, dark] }, '348917');
    expect(read).toEqual({
      ok: true,
      hours: [
        {
          at: Date.parse('2020-10-30T08:00:00Z'),
          values: { car: 619, pedestrian: 73, heavy: 78, uptime: 73 },
        },
      ],
    });
  });

  it("skips another segment's rows and refuses an answer without a report", () => {
    expect(readTrafficReport({ report: [{ ...ROW, segment_id: 1 }] }, '348917')).toEqual({
      ok: true,
      hours: [],
    });
    expect(readTrafficReport({ status_code: 403, message: 'forbidden' }, '348917')).toEqual({
      ok: false,
      detail: 'no report[] in the answer',
    });
  });
});
