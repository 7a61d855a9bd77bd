import { existsSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import {
  ALERT_ID_PATTERN,
  ALERT_PRESETS,
  ALERT_RULE_INPUT_SCHEMA,
  ALERT_RULES_MAX,
  type AlertRule,
  alertRuleInput,
  alertRuleProblems,
} from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';

/** A rule as the file keeps it: what admins send, and its version and who made it. */
const STORED_RULE_SCHEMA = {
  ...ALERT_RULE_INPUT_SCHEMA,
  required: [...ALERT_RULE_INPUT_SCHEMA.required, 'id', 'version', 'updatedAt', 'updatedBy'],
  properties: {
    ...ALERT_RULE_INPUT_SCHEMA.properties,
    id: { type: 'string', pattern: ALERT_ID_PATTERN.source },
    version: { type: 'integer', minimum: 1 },
    updatedAt: { type: 'string', minLength: 1 },
    updatedBy: { type: 'string', minLength: 1 },
    preset: { type: 'string', minLength: 1 },
  },
};

const validateFile = new Ajv({ strict: false, allErrors: false }).compile<{ rules: AlertRule[] }>({
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: { rules: { type: 'array', maxItems: ALERT_RULES_MAX, items: STORED_RULE_SCHEMA } },
});

/** The shipped presets, as a first start watches them (nothing is written until a change). */
function presetRules(): AlertRule[] {
  return Object.entries(ALERT_PRESETS).map(([id, input]) => ({
    ...input,
    id,
    version: 1,
    updatedAt: new Date(0).toISOString(),
    updatedBy: 'preset',
    preset: id,
  }));
}

/** What is wrong with a rules file, each problem naming its rule; empty when it is sound or absent. */
export function rulesFileProblems(path: string, channels: readonly string[]): string[] {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return [`cannot be read as JSON: ${(error as Error).message}`];
  }
  if (!validateFile(parsed)) return [schemaMessage(validateFile.errors?.[0], 'file', 'property')];
  const ids = parsed.rules.map((rule) => rule.id);
  return [
    ...ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `rule id ${id} is used twice`),
    ...parsed.rules.flatMap((rule) =>
      alertRuleProblems(alertRuleInput(rule), channels).map((problem) => `rule ${rule.id}: ${problem}`),
    ),
  ];
}

/** The rules of a file that `rulesFileProblems` passed, or the presets when there is none yet. */
export function readRulesFile(path: string): AlertRule[] {
  if (!existsSync(path)) return presetRules();
  return (JSON.parse(readFileSync(path, 'utf8')) as { rules: AlertRule[] }).rules;
}
