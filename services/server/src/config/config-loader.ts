import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { schemaProblem } from '../validation/schema-problem';
import {
  type CheckContext,
  configSlice,
  type AnySlice,
  type SettingsOf,
  unreadable,
  type Variables,
} from './config-slice';

/** The loader's own variable: which rules apply. */
export const runtimeConfig = configSlice({
  name: 'runtime',
  variables: {
    // Fail closed: unset means production, which refuses placeholder secrets and the embedded
    // broker. `npm start` says development itself.
    NODE_ENV: {
      type: 'string',
      description: 'unset means production: placeholder secrets and the embedded broker are refused',
      enum: ['development', 'production', 'test'],
      default: 'production',
    },
  },
  settings: (env) => ({ nodeEnv: env.NODE_ENV }),
});

/** A slice as the loader sees it: the merged schema has checked every variable's type already. */
export interface LoadedSlice {
  name: string;
  token: symbol;
  variables: Variables;
  required?: readonly string[];
  check?: (env: never, context: CheckContext) => string[];
  settings: (env: never) => unknown;
}

/** The whole configuration of the slices given, each under its name. */
export type ConfigOf<Slices extends readonly AnySlice[]> = {
  readonly [S in Slices[number] as S['name']]: SettingsOf<S>;
};

const SECRET = /(TOKEN|PASSWORD|SECRET)$/;
/** The values .env.example ships with; refused outside development so none reaches production. */
const PLACEHOLDER = /change-?me|placeholder/i;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the slices' variables (and NODE_ENV); throws a ConfigError that names
 * every bad variable (`NAME=value: reason`, secrets as ***). Problems are listed in the slices'
 * order.
 */
export function loadConfig<const Slices extends readonly AnySlice[]>(
  declared: Slices,
  source: NodeJS.ProcessEnv,
): ConfigOf<Slices> {
  const slices = [runtimeConfig, ...declared] as unknown as LoadedSlice[];
  const variables = Object.assign({}, ...slices.map((slice) => slice.variables)) as Variables;
  const secretNames = Object.keys(variables).filter((name) => SECRET.test(name));
  // Only our own variables, and an empty value means unset (as docker-compose writes `X=`).
  const given: Record<string, string> = {};
  for (const key of Object.keys(variables)) {
    const value = source[key]?.trim();
    if (value) given[key] = value;
  }
  const problems: string[] = [];
  // Docker secrets and mounted token files: NAME_FILE holds the path of the secret's value.
  for (const name of secretNames) {
    const file = source[`${name}_FILE`]?.trim();
    if (!file || given[name]) continue;
    try {
      given[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      problems.push(unreadable(`${name}_FILE`, file, error));
    }
  }
  const validate = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true }).compile<
    Record<string, unknown>
  >({
    type: 'object',
    required: slices.flatMap((slice) => slice.required ?? []),
    properties: Object.fromEntries(
      Object.entries(variables).map(([name, { shownDefault: _shown, ...schema }]) => [name, schema]),
    ),
  });
  // Ajv coerces and fills defaults in place, so it works on a copy of what was given.
  const env: Record<string, unknown> = { ...given };
  if (!validate(env)) {
    throw new ConfigError([
      ...problems,
      ...(validate.errors ?? []).map((error) => {
        const { name, reason } = schemaProblem(error, 'environment');
        const raw = given[name];
        return `${name}=${raw === undefined ? '(unset)' : SECRET.test(name) ? '***' : raw}: ${reason}`;
      }),
    ]);
  }
  const context: CheckContext = { nodeEnv: env['NODE_ENV'] as CheckContext['nodeEnv'], given };
  if (context.nodeEnv !== 'development') {
    for (const name of secretNames) {
      if (PLACEHOLDER.test(given[name] ?? '')) {
        problems.push(`${name}=***: is the placeholder from .env.example; set a real secret`);
      }
    }
  }
  for (const slice of slices) problems.push(...(slice.check?.(env as never, context) ?? []));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.fromEntries(
    declared.map((slice) => [slice.name, (slice as unknown as LoadedSlice).settings(env as never)]),
  ) as ConfigOf<Slices>;
}
