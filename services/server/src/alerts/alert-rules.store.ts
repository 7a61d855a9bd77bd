import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BadRequestException, Injectable } from '@nestjs/common';
import Ajv from 'ajv';
import {
  ALERT_PRESETS,
  ALERT_RULE_INPUT_SCHEMA,
  type AlertRule,
  type AlertRuleInput,
  alertRuleProblems,
} from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { schemaMessage } from '../validation/schema-problem';
import { alertsConfig, type AlertsSettings } from './alerts.config';

const validateInput = new Ajv({ strict: false, allErrors: false }).compile<AlertRuleInput>(
  ALERT_RULE_INPUT_SCHEMA,
);

/**
 * The rules, in one JSON file that admins change through the API. Each write replaces the file
 * whole (write, then rename), and each version is appended to a history file beside it, so a
 * changed threshold can always be traced to who changed it and when.
 */
@Injectable()
export class AlertRulesStore {
  private rules = new Map<string, AlertRule>();

  constructor(@InjectConfig(alertsConfig) private readonly settings: AlertsSettings) {
    this.rules = this.load();
  }

  all(): AlertRule[] {
    return [...this.rules.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): AlertRule | undefined {
    return this.rules.get(id);
  }

  /** Creates or replaces a rule; a refused one says why in a 400. */
  put(id: string, body: unknown, by: string): AlertRule {
    const input = this.validated(body);
    const previous = this.rules.get(id);
    const preset = previous?.preset ?? (ALERT_PRESETS[id] ? id : undefined);
    const rule: AlertRule = {
      ...input,
      id,
      version: (previous?.version ?? 0) + 1,
      updatedAt: new Date().toISOString(),
      updatedBy: by,
      ...(preset ? { preset } : {}),
    };
    this.rules.set(id, rule);
    this.save(rule, 'put');
    return rule;
  }

  remove(id: string, by: string): AlertRule | undefined {
    const rule = this.rules.get(id);
    if (!rule) return undefined;
    this.rules.delete(id);
    this.save({ ...rule, updatedAt: new Date().toISOString(), updatedBy: by }, 'delete');
    return rule;
  }

  private validated(body: unknown): AlertRuleInput {
    if (!validateInput(body)) {
      throw new BadRequestException(
        `Invalid rule: ${schemaMessage(validateInput.errors?.[0], 'rule', 'property')}`,
      );
    }
    const problems = alertRuleProblems(
      body,
      this.settings.channels.map((channel) => channel.id),
    );
    if (problems.length > 0) throw new BadRequestException(`Invalid rule: ${problems.join('; ')}`);
    return body;
  }

  private load(): Map<string, AlertRule> {
    const path = this.settings.rulesFile;
    if (!existsSync(path)) {
      // A first start watches the shipped limits; nothing is written until an admin changes one.
      return new Map(
        Object.entries(ALERT_PRESETS).map(([id, input]) => [
          id,
          { ...input, id, version: 1, updatedAt: new Date(0).toISOString(), updatedBy: 'preset', preset: id },
        ]),
      );
    }
    let parsed: { rules: AlertRule[] };
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as { rules: AlertRule[] };
    } catch (error) {
      throw new Error(`ALERTS_RULES_FILE=${path}: cannot be read as JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const channels = this.settings.channels.map((channel) => channel.id);
    for (const rule of parsed.rules ?? []) {
      const input: Record<string, unknown> = { ...rule };
      for (const kept of ['id', 'version', 'updatedAt', 'updatedBy', 'preset']) delete input[kept];
      const problems = validateInput(input)
        ? alertRuleProblems(input, channels)
        : [schemaMessage(validateInput.errors?.[0], 'rule', 'property')];
      if (problems.length > 0)
        throw new Error(`ALERTS_RULES_FILE=${path}: rule ${rule.id}: ${problems.join('; ')}`);
    }
    return new Map((parsed.rules ?? []).map((rule) => [rule.id, rule]));
  }

  private save(changed: AlertRule, change: 'put' | 'delete'): void {
    const path = this.settings.rulesFile;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ rules: this.all() }, null, 2)}\n`);
    renameSync(temporary, path);
    appendFileSync(`${path}.history.ndjson`, `${JSON.stringify({ change, rule: changed })}\n`);
  }
}
