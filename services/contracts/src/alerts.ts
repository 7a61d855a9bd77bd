import { DOMAIN_SPECS, DOMAINS, type Domain } from './domain-specs';
import { PROBLEMS, type Problem } from './health';
import { ROLES, type Role } from './roles';

/**
 * Alert rules: what is watched, over which averaging period, against which limit, and who
 * hears of it. Air-quality and noise limits are defined on averaging periods (an 8-hour running
 * mean, a calendar day, a night), so the period is part of the rule, not of the channel.
 */

/** What a rule compares with its threshold. */
export type AlertQuantity =
  | { kind: 'field'; domain: Domain; field: string }
  /** The BelAQI class (1–10) of a station's hourly means, as IRCEL defines the current index. */
  | { kind: 'belaqi' }
  /** A sensor health problem: 1 while it is active, 0 when not. */
  | { kind: 'health'; problem: Problem };

export type AlertPeriod =
  /** Every reading as it arrives (the live stream). */
  | { kind: 'latest' }
  /**
   * The mean of hourly means over `hours`, as the EU directive and the WHO guidelines average:
   * `rolling` ends at every full hour (the 8-hour running mean), `clock` at multiples of `hours`
   * from local midnight (`24`: the calendar day in Brussels, 23 or 25 hours on DST days).
   */
  | { kind: 'mean'; hours: number; align: 'rolling' | 'clock' }
  /** The night's energetic mean level, 23:00–07:00 local (END); judged at 07:00. */
  | { kind: 'lnight' }
  /** Day-evening-night level of the 24 hours from 07:00 local (END); judged at 07:00. */
  | { kind: 'lden' }
  /** How many calendar days this year had a daily mean above `dayThreshold` (EU limit values). */
  | { kind: 'exceedance_days'; dayThreshold: number };

export interface AlertScope {
  /** For health rules: which layers; field rules take their domain from the quantity. */
  domains?: Domain[];
  cities?: string[];
  /** Sensor keys (`leuven/air/air-0001`). */
  sensors?: string[];
}

export interface AlertRecipients {
  /** Who sees and acknowledges it in the dashboard (admins always do). */
  roles: Role[];
  /** Ids of channels in `ALERTS_CHANNELS_FILE` (webhooks, e-mail). */
  channels: string[];
}

/** What an admin sends to create or change a rule. */
export interface AlertRuleInput {
  name: string;
  enabled: boolean;
  quantity: AlertQuantity;
  scope: AlertScope;
  period: AlertPeriod;
  /** An episode opens when the value is above this. */
  threshold: number;
  /** …and closes when it is at or below this (hysteresis); the threshold when absent. */
  clearBelow?: number;
  /** The value stays above the threshold this long before an episode opens. */
  minDurationS: number;
  /** A windowed value with less of its hours covered than this is not judged (0–1). */
  minCoverage: number;
  recipients: AlertRecipients;
  /** Where the limit comes from. */
  source?: { title: string; url: string };
}

export interface AlertRule extends AlertRuleInput {
  id: string;
  /** Raised on every change; an episode names the version that opened it. */
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** The shipped preset it was made from, if any. */
  preset?: string;
}

/** One stretch of time during which a rule held for a sensor. */
export interface AlertEpisode {
  id: string;
  ruleId: string;
  ruleVersion: number;
  ruleName: string;
  key: string;
  city: string;
  domain: Domain;
  sensorId: string;
  /** Epoch ms: the start of the first window above the threshold (after the minimum duration). */
  start: number;
  /** Epoch ms it ended; absent while open. */
  end?: number;
  peak: number;
  peakAt: number;
  /** The unit of `peak` and the threshold. */
  unit: string;
  threshold: number;
  /** The lowest share of its window's hours that a judged value had during the episode. */
  coverage: number;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  /** Set when a person closed it by hand rather than the data. */
  resolvedBy?: string;
}

export type AlertEventType = 'opened' | 'closed' | 'acknowledged';
export interface AlertEvent {
  type: AlertEventType;
  episode: AlertEpisode;
  /** Who it is addressed to in the dashboard (admins always are). */
  roles: Role[];
}

export type AlertChannelKind = 'webhook' | 'email';

export interface AlertDeadLetter {
  episodeId: string;
  events: AlertEventType[];
  attempts: number;
  error: string;
  at: number;
}

/** `GET /api/v1/alerts/channels`: how each channel's deliveries go. */
export interface AlertChannelStatus {
  id: string;
  kind: AlertChannelKind;
  delivered: number;
  failedAttempts: number;
  pending: number;
  lastError?: string;
  deadLetters: AlertDeadLetter[];
}

/** Rule and channel ids: they appear in URLs, Redis keys and episode ids. */
export const ALERT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Every rule is judged on every run: a bound keeps one run short. */
export const ALERT_RULES_MAX = 200;

/** A stored rule as admins send it: without the version and who changed it. */
export function alertRuleInput(rule: AlertRule): AlertRuleInput {
  const { name, enabled, quantity, scope, period, threshold, clearBelow, minDurationS, minCoverage } = rule;
  return {
    name,
    enabled,
    quantity,
    scope,
    period,
    threshold,
    ...(clearBelow === undefined ? {} : { clearBelow }),
    minDurationS,
    minCoverage,
    recipients: rule.recipients,
    ...(rule.source ? { source: rule.source } : {}),
  };
}

const stringList = (pattern?: string) =>
  ({
    type: 'array',
    maxItems: 500,
    uniqueItems: true,
    items: pattern ? { type: 'string', pattern } : { type: 'string', minLength: 1, maxLength: 200 },
  }) as const;

/** The shape of a rule as admins send it; `alertRuleProblems` checks what a schema cannot. */
export const ALERT_RULE_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'name',
    'enabled',
    'quantity',
    'scope',
    'period',
    'threshold',
    'minDurationS',
    'minCoverage',
    'recipients',
  ],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120 },
    enabled: { type: 'boolean' },
    quantity: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'domain', 'field'],
          properties: {
            kind: { const: 'field' },
            domain: { type: 'string', enum: [...DOMAINS] },
            field: { type: 'string', minLength: 1, maxLength: 40 },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: { const: 'belaqi' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'problem'],
          properties: { kind: { const: 'health' }, problem: { type: 'string', enum: [...PROBLEMS] } },
        },
      ],
    },
    scope: {
      type: 'object',
      additionalProperties: false,
      properties: {
        domains: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...DOMAINS] } },
        cities: stringList('^[a-z0-9-]{1,60}$'),
        sensors: stringList('^[a-z0-9-]+/[a-z]+/[A-Za-z0-9_.-]+$'),
      },
    },
    period: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: { enum: ['latest', 'lnight', 'lden'] } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'hours', 'align'],
          properties: {
            kind: { const: 'mean' },
            hours: { type: 'integer', minimum: 1, maximum: 24 },
            align: { enum: ['rolling', 'clock'] },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'dayThreshold'],
          properties: { kind: { const: 'exceedance_days' }, dayThreshold: { type: 'number' } },
        },
      ],
    },
    threshold: { type: 'number' },
    clearBelow: { type: 'number' },
    minDurationS: { type: 'integer', minimum: 0, maximum: 31 * 86_400 },
    minCoverage: { type: 'number', minimum: 0, maximum: 1 },
    recipients: {
      type: 'object',
      additionalProperties: false,
      required: ['roles', 'channels'],
      properties: {
        roles: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...ROLES] } },
        channels: stringList(ALERT_ID_PATTERN.source),
      },
    },
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'url'],
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 300 },
        url: { type: 'string', pattern: '^https?://', maxLength: 500 },
      },
    },
  },
} as const;

/** The domain a rule's values come from, when it is one domain. */
export function alertRuleDomain(rule: Pick<AlertRuleInput, 'quantity'>): Domain | undefined {
  switch (rule.quantity.kind) {
    case 'field':
      return rule.quantity.domain;
    case 'belaqi':
      return 'air';
    case 'health':
      return undefined;
  }
}

/** The unit a rule's values are in. */
export function alertRuleUnit(rule: Pick<AlertRuleInput, 'quantity' | 'period'>): string {
  if (rule.period.kind === 'exceedance_days') return 'dagen';
  if (rule.quantity.kind === 'belaqi') return 'BelAQI';
  if (rule.quantity.kind === 'health') return '';
  const fields = DOMAIN_SPECS[rule.quantity.domain].fields as Record<string, { unit: string }>;
  return fields[rule.quantity.field]?.unit ?? '';
}

/** What the schema cannot say: combinations that have no meaning. Empty when the rule is sound. */
export function alertRuleProblems(rule: AlertRuleInput, knownChannels: readonly string[]): string[] {
  const problems: string[] = [];
  const { quantity, period } = rule;
  if (quantity.kind === 'field') {
    const fields = Object.keys(DOMAIN_SPECS[quantity.domain].fields);
    if (!fields.includes(quantity.field)) {
      problems.push(
        `quantity.field: ${quantity.domain} has no field ${quantity.field} (it has ${fields.join(', ')})`,
      );
    }
  }
  if (quantity.kind === 'health' && period.kind !== 'latest') {
    problems.push('period: a health problem is judged as it is (period.kind latest)');
  }
  if (quantity.kind === 'belaqi' && !(period.kind === 'mean' && period.hours === 1)) {
    problems.push('period: BelAQI is defined on hourly means (period.kind mean, hours 1)');
  }
  if (
    (period.kind === 'lnight' || period.kind === 'lden') &&
    !(quantity.kind === 'field' && quantity.domain === 'noise')
  ) {
    problems.push(`period: ${period.kind} is a noise indicator (quantity noise laeq)`);
  }
  if (period.kind === 'mean' && period.align === 'clock' && 24 % period.hours !== 0) {
    problems.push(
      `period.hours: clock-aligned windows divide the day (1, 2, 3, 4, 6, 8, 12 or 24), not ${period.hours}`,
    );
  }
  if (period.kind === 'exceedance_days' && quantity.kind !== 'field') {
    problems.push('period: exceedance days count daily means of a field');
  }
  if (rule.clearBelow !== undefined && rule.clearBelow > rule.threshold) {
    problems.push(
      `clearBelow: ${rule.clearBelow} is above the threshold ${rule.threshold}; it closes at or below`,
    );
  }
  for (const channel of rule.recipients.channels) {
    if (!knownChannels.includes(channel))
      problems.push(`recipients.channels: no channel ${channel} in ALERTS_CHANNELS_FILE`);
  }
  return problems;
}

const WHO_2021 = {
  title: 'WHO global air quality guidelines (2021), table 0.1',
  url: 'https://www.who.int/publications/i/item/9789240034228',
};
const EU_2008 = {
  title: 'Directive 2008/50/EC, annexes XI and XII (limit values and thresholds in force)',
  url: 'https://eur-lex.europa.eu/eli/dir/2008/50/oj',
};
const WHO_2018_NOISE = {
  title: 'WHO Environmental Noise Guidelines for the European Region (2018): road traffic, Lnight',
  url: 'https://www.who.int/publications/i/item/9789289053563',
};

const AIR_PEOPLE: AlertRecipients = { roles: ['officer', 'admin'], channels: [] };

/** An air-quality limit on one pollutant, as every air preset is: 75 % coverage, to officers. */
function airLimit(
  field: 'pm25' | 'pm10' | 'no2' | 'o3',
  name: string,
  period: AlertPeriod,
  threshold: number,
  source: AlertRuleInput['source'],
  clearBelow?: number,
): AlertRuleInput {
  return {
    name,
    enabled: true,
    quantity: { kind: 'field', domain: 'air', field },
    scope: {},
    period,
    threshold,
    ...(clearBelow === undefined ? {} : { clearBelow }),
    minDurationS: 0,
    minCoverage: 0.75,
    recipients: AIR_PEOPLE,
    source,
  };
}

const dailyMean = { kind: 'mean', hours: 24, align: 'clock' } as const;
const hourlyMean = { kind: 'mean', hours: 1, align: 'rolling' } as const;

/** Rules from real limits, each with its source; admins switch them on and give them channels. */
export const ALERT_PRESETS: Record<string, AlertRuleInput> = {
  'who-2021-pm25-24h': airLimit(
    'pm25',
    'PM2.5 daggemiddelde boven WHO-advieswaarde (15 µg/m³)',
    dailyMean,
    15,
    WHO_2021,
  ),
  'who-2021-pm10-24h': airLimit(
    'pm10',
    'PM10 daggemiddelde boven WHO-advieswaarde (45 µg/m³)',
    dailyMean,
    45,
    WHO_2021,
  ),
  'who-2021-no2-24h': airLimit(
    'no2',
    'NO2 daggemiddelde boven WHO-advieswaarde (25 µg/m³)',
    dailyMean,
    25,
    WHO_2021,
  ),
  // A running mean hovering at the limit would open and close every hour: it clears at 90.
  'who-2021-o3-8h': airLimit(
    'o3',
    'O3 8-uursgemiddelde boven WHO-advieswaarde (100 µg/m³)',
    { kind: 'mean', hours: 8, align: 'rolling' },
    100,
    WHO_2021,
    90,
  ),
  'eu-2008-no2-1h': airLimit(
    'no2',
    'NO2 uurgemiddelde boven EU-grenswaarde (200 µg/m³, hoogstens 18 uur per jaar)',
    hourlyMean,
    200,
    EU_2008,
  ),
  'eu-2008-pm10-days': airLimit(
    'pm10',
    'PM10: meer dan 35 dagen dit jaar boven de EU-daggrenswaarde (50 µg/m³)',
    { kind: 'exceedance_days', dayThreshold: 50 },
    35,
    EU_2008,
  ),
  'eu-2008-o3-information': airLimit(
    'o3',
    'O3 uurgemiddelde boven de EU-informatiedrempel (180 µg/m³)',
    hourlyMean,
    180,
    EU_2008,
  ),
  'who-2018-lnight-road': {
    name: 'Nachtlawaai (Lnight) boven WHO-advieswaarde voor wegverkeer (45 dB)',
    enabled: true,
    quantity: { kind: 'field', domain: 'noise', field: 'laeq' },
    scope: {},
    period: { kind: 'lnight' },
    threshold: 45,
    minDurationS: 0,
    minCoverage: 0.75,
    recipients: { roles: ['officer', 'admin'], channels: [] },
    source: WHO_2018_NOISE,
  },
  'offline-30-min': {
    name: 'Sensor al 30 minuten offline',
    enabled: true,
    quantity: { kind: 'health', problem: 'offline' },
    scope: {},
    period: { kind: 'latest' },
    threshold: 0.5,
    minDurationS: 1800,
    minCoverage: 0,
    recipients: { roles: ['technician', 'admin'], channels: [] },
  },
};
