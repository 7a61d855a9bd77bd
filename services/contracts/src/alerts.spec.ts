import { ALERT_PRESETS, ALERT_RULE_INPUT_SCHEMA, type AlertRuleInput, alertRuleProblems } from './alerts';
import { ajv } from './schemas/ajv';

const validate = ajv.compile<AlertRuleInput>(ALERT_RULE_INPUT_SCHEMA);

describe('alert rules', () => {
  it.each(Object.entries(ALERT_PRESETS))('ships preset %s as a sound rule', (_id, preset) => {
    expect(validate(preset)).toBe(true);
    expect(alertRuleProblems(preset, [])).toEqual([]);
  });

  it('gives every limit preset its source', () => {
    const limits = Object.values(ALERT_PRESETS).filter((preset) => preset.quantity.kind !== 'health');
    expect(limits.filter((preset) => !preset.source?.url.startsWith('https://'))).toEqual([]);
  });

  it('names what makes no sense in a rule', () => {
    const base = ALERT_PRESETS['who-2021-o3-8h']!;
    expect(
      alertRuleProblems({ ...base, quantity: { kind: 'field', domain: 'air', field: 'laeq' } }, []),
    ).toEqual(['quantity.field: air has no field laeq (it has pm25, pm10, no2, o3, temperature, humidity)']);
    expect(alertRuleProblems({ ...base, period: { kind: 'mean', hours: 5, align: 'clock' } }, [])).toEqual([
      'period.hours: clock-aligned windows divide the day (1, 2, 3, 4, 6, 8, 12 or 24), not 5',
    ]);
    expect(alertRuleProblems({ ...base, clearBelow: 120 }, [])).toEqual([
      'clearBelow: 120 is above the threshold 100; it closes at or below',
    ]);
    expect(alertRuleProblems({ ...base, quantity: { kind: 'belaqi' } }, [])).toEqual([
      'period: BelAQI is defined on hourly means (period.kind mean, hours 1)',
    ]);
  });
});
