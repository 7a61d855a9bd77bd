import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRuleInput } from '@meetnet/contracts';

/** LAeq above 70 dB(A) on every reading, closing at 65: the rule most tests need. */
export function loudNoiseRule(overrides: Partial<AlertRuleInput> = {}): AlertRuleInput {
  return {
    name: 'Geluid boven 70 dB(A)',
    enabled: true,
    quantity: { kind: 'field', domain: 'noise', field: 'laeq' },
    scope: {},
    period: { kind: 'latest' },
    threshold: 70,
    clearBelow: 65,
    minDurationS: 0,
    minCoverage: 0,
    recipients: { roles: ['officer'], channels: [] },
    ...overrides,
  };
}

/** A rules file as the API writes it, in a directory of its own (or `dir`); returns its path. */
export function writeRulesFile(
  rules: Record<string, AlertRuleInput>,
  dir = mkdtempSync(join(tmpdir(), 'meetnet-rules-')),
): string {
  const stamp = { version: 1, updatedAt: '2026-12-01T00:00:00Z', updatedBy: 'test' };
  const file = join(dir, 'alert-rules.json');
  writeFileSync(
    file,
    JSON.stringify({ rules: Object.entries(rules).map(([id, rule]) => ({ id, ...rule, ...stamp })) }),
  );
  return file;
}
