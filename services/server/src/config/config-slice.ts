/**
 * A module's settings: the environment variables it reads, each a JSON Schema written once,
 * and how they become the module's settings. The loader (app-config.ts) merges every slice.
 */

/** The JSON Schema of one variable; Ajv coerces text to `integer`, `number` and `boolean`. */
export interface VariableSchema {
  type: 'string' | 'integer' | 'number';
  /** Said in the README's configuration table. */
  description: string;
  default?: string | number;
  /** The default as the README shows it, where the value depends on the machine. */
  shownDefault?: string;
  enum?: readonly (string | number)[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

export type Variables = Record<string, VariableSchema>;

type ValueOf<S extends VariableSchema> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'integer' | 'number' }
    ? number
    : string;

/** What a slice's variables hold after validation: a variable with a default, or required, is set. */
export type EnvOf<V extends Variables, R extends keyof V = never> = {
  readonly [K in keyof V]: V[K] extends { default: unknown }
    ? ValueOf<V[K]>
    : K extends R
      ? ValueOf<V[K]>
      : ValueOf<V[K]> | undefined;
};

export interface CheckContext {
  nodeEnv: 'development' | 'production' | 'test';
  /** The variables as given (after NAME_FILE), before defaults: to tell "unset" from a default. */
  given: Readonly<Record<string, string>>;
}

export interface ConfigSlice<V extends Variables = Variables, R extends keyof V = keyof V, T = unknown> {
  variables: V;
  /** Variables without a default that must be set. */
  required?: readonly R[];
  /** Rules that span variables; each problem names the variable to fix (`NAME=value: reason`). */
  check?: (env: EnvOf<V, R>, context: CheckContext) => string[];
  settings: (env: EnvOf<V, R>) => T;
}

/** Declares a slice; only here so TypeScript infers the variables' types from the schemas. */
export function configSlice<const V extends Variables, T, R extends keyof V & string = never>(
  slice: ConfigSlice<V, R, T>,
): ConfigSlice<V, R, T> {
  return slice;
}

/** The settings a slice produces. */
export type SettingsOf<S> = S extends { settings: (env: never) => infer T } ? T : never;

/** `NAME=file: cannot be read (ENOENT)`, for settings that name a file. */
export function unreadable(name: string, file: string, error: unknown): string {
  return `${name}=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
}
