import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BadRequestException, Injectable } from '@nestjs/common';
import Ajv from 'ajv';
import {
  ALERT_PRESETS,
  ALERT_RULE_INPUT_SCHEMA,
  ALERT_RULES_MAX,
  type AlertQuantity,
  type AlertRule,
  type AlertRuleInput,
  alertRuleProblems,
  type Domain,
} from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { schemaMessage } from '../validation/schema-problem';
import { readRulesFile } from './alert-rules-file';
import { alertsConfig, type AlertsSettings } from './alerts.config';

const validateInput = new Ajv({ strict: false, allErrors: false }).compile<AlertRuleInput>(
  ALERT_RULE_INPUT_SCHEMA,
);

/** A rule on a domain field. */
export type FieldRule = AlertRule & { quantity: Extract<AlertQuantity, { kind: 'field' }> };

function isFieldRule(rule: AlertRule): rule is FieldRule {
  return rule.quantity.kind === 'field';
}

/**
 * The rules, in one JSON file that admins change through the API. Each write replaces the file
 * whole (write, then rename), and each version is appended to a history file beside it, so a
 * changed threshold can always be traced to who changed it and when.
 */
@Injectable()
export class AlertRulesStore {
  private readonly rules: Map<string, AlertRule>;
  private sorted: AlertRule[] = [];
  private live = new Map<Domain, FieldRule[]>();

  constructor(@InjectConfig(alertsConfig) private readonly settings: AlertsSettings) {
    // The file was checked at start-up with the other settings (alertsConfig).
    this.rules = new Map(readRulesFile(settings.rulesFile).map((rule) => [rule.id, rule]));
    this.index();
  }

  /** Every rule, by id. */
  all(): readonly AlertRule[] {
    return this.sorted;
  }

  /** The enabled rules judged on each reading of a domain: looked up per observation, so kept ready. */
  liveRules(domain: Domain): readonly FieldRule[] {
    return this.live.get(domain) ?? [];
  }

  get(id: string): AlertRule | undefined {
    return this.rules.get(id);
  }

  /** Creates or replaces a rule; a refused one says why in a 400. */
  put(id: string, body: unknown, by: string): AlertRule {
    const input = this.validated(body);
    const previous = this.rules.get(id);
    if (!previous && this.rules.size >= ALERT_RULES_MAX) {
      throw new BadRequestException(`Too many rules: at most ${ALERT_RULES_MAX}; change or remove one`);
    }
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
    this.index();
    this.save(rule, 'put');
    return rule;
  }

  remove(id: string, by: string): AlertRule | undefined {
    const rule = this.rules.get(id);
    if (!rule) return undefined;
    this.rules.delete(id);
    this.index();
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

  private index(): void {
    this.sorted = [...this.rules.values()].sort((a, b) => a.id.localeCompare(b.id));
    this.live = new Map();
    for (const rule of this.sorted) {
      if (!rule.enabled || rule.period.kind !== 'latest' || !isFieldRule(rule)) continue;
      const { domain } = rule.quantity;
      this.live.set(domain, [...(this.live.get(domain) ?? []), rule]);
    }
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
