import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestException } from '@nestjs/common';
import { ALERT_PRESETS, ALERT_RULES_MAX, alertRuleInput } from '@meetnet/contracts';
import { rulesFileProblems } from './alert-rules-file';
import { AlertRulesStore } from './alert-rules.store';
import type { AlertsSettings } from './alerts.config';

const storeAt = (rulesFile: string) =>
  new AlertRulesStore({ rulesFile, channels: [] } as unknown as AlertsSettings);
const o3 = ALERT_PRESETS['who-2021-o3-8h']!;

describe('the alert rules store', () => {
  it('watches the presets until a change, then writes the file and appends each version to its history', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'alert-rules.json');
    const store = storeAt(file);
    expect(store.all().map((rule) => rule.id)).toEqual(Object.keys(ALERT_PRESETS).sort());
    expect(existsSync(file)).toBe(false);

    const changed = store.put('who-2021-o3-8h', { ...o3, threshold: 120 }, 'admin-test');
    expect(changed).toMatchObject({
      version: 2,
      updatedBy: 'admin-test',
      preset: 'who-2021-o3-8h',
      threshold: 120,
    });
    expect(storeAt(file).get('who-2021-o3-8h')).toEqual(changed);
    const history = readFileSync(`${file}.history.ndjson`, 'utf8').trim().split('\n');
    expect(
      history.map((line) => (JSON.parse(line) as { change: string; rule: { version: number } }).rule.version),
    ).toEqual([2]);
    expect(rulesFileProblems(file, [])).toEqual([]);
  });

  it('keeps the rules judged on each reading ready per layer, and only the enabled ones', () => {
    const store = storeAt(join(mkdtempSync(join(tmpdir(), 'rules-')), 'alert-rules.json'));
    const loud = {
      ...o3,
      quantity: { kind: 'field', domain: 'noise', field: 'laeq' },
      period: { kind: 'latest' },
    };
    store.put('loud', loud, 'admin-test');
    store.put('loud-off', { ...loud, enabled: false }, 'admin-test');
    expect(store.liveRules('noise').map((rule) => rule.id)).toEqual(['loud']);
    expect(store.liveRules('air')).toEqual([]);
    store.remove('loud', 'admin-test');
    expect(store.liveRules('noise')).toEqual([]);
  });

  it(`refuses a rule past ${ALERT_RULES_MAX}, and a rule that makes no sense, with the reason`, () => {
    const store = storeAt(join(mkdtempSync(join(tmpdir(), 'rules-')), 'alert-rules.json'));
    const presets = store.all().length;
    for (let i = presets; i < ALERT_RULES_MAX; i++)
      store.put(`rule-${i}`, { ...o3, enabled: false }, 'admin-test');
    expect(() => store.put('one-more', o3, 'admin-test')).toThrow(
      `Too many rules: at most ${ALERT_RULES_MAX}`,
    );
    // Changing one that exists is still allowed.
    expect(store.put('rule-20', o3, 'admin-test').version).toBe(2);
    expect(() => store.put('rule-20', { ...o3, period: { kind: 'lnight' } }, 'admin-test')).toThrow(
      BadRequestException,
    );
    expect(() => store.put('rule-20', { ...o3, extra: 1 }, 'admin-test')).toThrow(
      /must NOT have additional properties|extra/,
    );
  });

  it('names what is wrong in a rules file, rule by rule, so start-up can stop on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const file = join(dir, 'alert-rules.json');
    const stamp = { version: 1, updatedAt: '2026-12-01T00:00:00Z', updatedBy: 'test' };
    writeFileSync(
      file,
      JSON.stringify({
        rules: [{ id: 'a', ...o3, ...stamp, recipients: { roles: [], channels: ['pager'] } }],
      }),
    );
    expect(rulesFileProblems(file, [])).toEqual([
      'rule a: recipients.channels: no channel pager in ALERTS_CHANNELS_FILE',
    ]);
    writeFileSync(
      file,
      JSON.stringify({
        rules: [
          { id: 'a', ...o3, ...stamp },
          { id: 'a', ...alertRuleInput({ id: 'a', ...o3, ...stamp }), ...stamp },
        ],
      }),
    );
    expect(rulesFileProblems(file, [])).toEqual(['rule id a is used twice']);
    writeFileSync(file, '{ "rules": [');
    expect(rulesFileProblems(file, [])[0]).toMatch(/^cannot be read as JSON/);
    writeFileSync(file, JSON.stringify({ rules: [{ ...o3, ...stamp }] }));
    expect(rulesFileProblems(file, [])[0]).toContain('id');
  });
});
