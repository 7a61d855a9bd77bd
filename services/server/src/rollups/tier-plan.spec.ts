import { brusselsDay, coarsestTier, HOUR_MS, planTiers, type RollupCoverage } from './tier-plan';

const at = (iso: string) => Date.parse(iso);
const show = (segments: ReturnType<typeof planTiers>) =>
  segments.map((s) => `${s.tier} ${new Date(s.start).toISOString()} ${new Date(s.end).toISOString()}`);

/** Rolled up from 1 March 2026 (Brussels) to 2 April 00:00 UTC hourly, to Brussels 1 April daily. */
const coverage = (lateHours: number[] = []): RollupCoverage => ({
  from: at('2026-02-28T23:00:00Z'),
  hourlyThrough: at('2026-04-02T00:00:00Z'),
  dailyThrough: at('2026-03-31T22:00:00Z'),
  lateHours: new Set(lateHours),
});

describe('planTiers', () => {
  it('reads whole Brussels days from daily rollups, the 23-hour day of the clock change included', () => {
    expect(
      show(planTiers(at('2026-03-27T23:00:00Z'), at('2026-03-30T22:00:00Z'), 'daily', coverage())),
    ).toEqual(['daily 2026-03-27T23:00:00.000Z 2026-03-30T22:00:00.000Z']);
    expect(brusselsDay(at('2026-03-29T12:00:00Z'))).toEqual({
      start: at('2026-03-28T23:00:00Z'),
      end: at('2026-03-29T22:00:00Z'),
    });
  });

  it('reads the ragged ends finer: raw within an hour, hourly within a day', () => {
    expect(
      show(planTiers(at('2026-03-10T10:30:00Z'), at('2026-03-12T15:10:00Z'), 'daily', coverage())),
    ).toEqual([
      'raw 2026-03-10T10:30:00.000Z 2026-03-10T11:00:00.000Z',
      'hourly 2026-03-10T11:00:00.000Z 2026-03-10T23:00:00.000Z',
      'daily 2026-03-10T23:00:00.000Z 2026-03-11T23:00:00.000Z',
      'hourly 2026-03-11T23:00:00.000Z 2026-03-12T15:00:00.000Z',
      'raw 2026-03-12T15:00:00.000Z 2026-03-12T15:10:00.000Z',
    ]);
  });

  it('reads raw data where the rollups have not reached, before their start and after their marks', () => {
    expect(
      show(planTiers(at('2026-02-27T00:00:00Z'), at('2026-04-03T00:00:00Z'), 'daily', coverage())),
    ).toEqual([
      'raw 2026-02-27T00:00:00.000Z 2026-02-28T23:00:00.000Z',
      'daily 2026-02-28T23:00:00.000Z 2026-03-31T22:00:00.000Z',
      'hourly 2026-03-31T22:00:00.000Z 2026-04-02T00:00:00.000Z',
      'raw 2026-04-02T00:00:00.000Z 2026-04-03T00:00:00.000Z',
    ]);
  });

  it('reads an hour that late data changed raw, and its day hourly, until they are rolled up again', () => {
    const late = at('2026-03-11T05:00:00Z');
    expect(
      show(planTiers(at('2026-03-09T23:00:00Z'), at('2026-03-12T23:00:00Z'), 'daily', coverage([late]))),
    ).toEqual([
      'daily 2026-03-09T23:00:00.000Z 2026-03-10T23:00:00.000Z',
      'hourly 2026-03-10T23:00:00.000Z 2026-03-11T05:00:00.000Z',
      'raw 2026-03-11T05:00:00.000Z 2026-03-11T06:00:00.000Z',
      'hourly 2026-03-11T06:00:00.000Z 2026-03-11T23:00:00.000Z',
      'daily 2026-03-11T23:00:00.000Z 2026-03-12T23:00:00.000Z',
    ]);
    expect(late % HOUR_MS).toBe(0);
  });

  it('reads everything raw without rollups, or when the query needs every reading', () => {
    const range = [at('2026-03-10T00:00:00Z'), at('2026-03-12T00:00:00Z')] as const;
    expect(planTiers(...range, 'daily', undefined)).toEqual([
      { tier: 'raw', start: range[0], end: range[1] },
    ]);
    expect(planTiers(...range, 'raw', coverage())).toEqual([{ tier: 'raw', start: range[0], end: range[1] }]);
  });
});

describe('coarsestTier', () => {
  it.each([
    ['1mo', 'mean', 'Europe/Brussels', 'daily'],
    ['1d', 'max', 'Europe/Brussels', 'daily'],
    ['1d', 'sum', 'UTC', 'hourly'],
    ['1h', 'count', 'Europe/Brussels', 'hourly'],
    ['1d', 'lden', 'Europe/Brussels', 'hourly'],
    ['1d', 'p95', 'Europe/Brussels', 'raw'],
    ['1w', 'last', 'Europe/Brussels', 'raw'],
    ['15m', 'mean', 'Europe/Brussels', 'raw'],
    ['raw', 'mean', 'UTC', 'raw'],
  ] as const)('%s %s in %s: %s', (window, aggregate, zone, tier) => {
    expect(coarsestTier(window, aggregate, zone)).toBe(tier);
  });
});
