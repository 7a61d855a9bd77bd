import type { AnySlice, VariableSchema } from './config-slice';
import { runtimeConfig } from './config-loader';

/**
 * The README's configuration table, from the slices themselves: `npm run docs:config` writes it
 * between the README's `config:start` and `config:end` markers, and a test keeps them equal.
 */
export function configTableMarkdown(slices: readonly AnySlice[]): string {
  const rows = [runtimeConfig, ...slices].flatMap((slice) => {
    const required: readonly string[] = slice.required ?? [];
    return Object.entries(slice.variables as Record<string, VariableSchema>).map(
      ([name, variable]) =>
        `| \`${name}\` | ${slice.name} | ${shownDefault(variable, required.includes(name))} | ${variable.description.replace(/\|/g, '\\|')} |`,
    );
  });
  return ['| variable | part | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function shownDefault(variable: VariableSchema, required: boolean): string {
  if (required) return '(required)';
  const value = variable.shownDefault ?? variable.default;
  return value === undefined ? 'unset' : `\`${value}\``;
}
