import { Inject } from '@nestjs/common';

/**
 * A module's settings: the environment variables it reads, each a JSON Schema written once,
 * and how they become the module's settings. The loader merges the slices the app lists
 * (src/app-config.ts); each module injects only its own (`@InjectConfig(healthConfig)`).
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
  /** The settings' name in the whole configuration, such as `health`. */
  name: string;
  variables: V;
  /** Variables without a default that must be set. */
  required?: readonly R[];
  /** Rules that span variables; each problem names the variable to fix (`NAME=value: reason`). */
  check?: (env: EnvOf<V, R>, context: CheckContext) => string[];
  settings: (env: EnvOf<V, R>) => T;
}

/** A declared slice, with the token its settings are injected by. */
export type DeclaredSlice<
  V extends Variables = Variables,
  R extends keyof V = keyof V,
  T = unknown,
> = ConfigSlice<V, R, T> & { readonly token: symbol };

/** Declares a slice, so that TypeScript infers the variables' types from their schemas. */
export function configSlice<
  const N extends string,
  const V extends Variables,
  T,
  R extends keyof V & string = never,
>(slice: ConfigSlice<V, R, T> & { name: N }): DeclaredSlice<V, R, T> & { readonly name: N } {
  return { ...slice, token: Symbol(`config:${slice.name}`) };
}

/** Any declared slice, as the loader, the table and the module list them. */
export interface AnySlice {
  readonly name: string;
  readonly token: symbol;
  readonly variables: Variables;
  readonly required?: readonly string[];
}

/** The settings a slice produces. */
export type SettingsOf<S> = S extends { settings: (env: never) => infer T } ? T : never;

/** Injects one slice's settings: a module sees its own settings and nothing else. */
export const InjectConfig = (slice: { token: symbol }): PropertyDecorator & ParameterDecorator =>
  Inject(slice.token);

/** `NAME=file: cannot be read (ENOENT)`, for settings that name a file. */
export function unreadable(name: string, file: string, error: unknown): string {
  return `${name}=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
}
