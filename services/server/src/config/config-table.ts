import { CONFIG_SLICES } from './app-config';
import type { VariableSchema } from './config-slice';

/**
 * The README's configuration table, from the slices themselves: `npm run docs:config` writes it
 * between the README's `config:start` and `config:end` markers, and a test keeps them equal.
 */
export function configTableMarkdown(): string {
  const rows = Object.entries(CONFIG_SLICES).flatMap(([part, slice]) => {
    const required: readonly string[] = ('required' in slice ? slice.required : undefined) ?? [];
    return Object.entries(slice.variables as Record<string, VariableSchema>).map(
      ([name, variable]) =>
        `| \`${name}\` | ${part} | ${shownDefault(variable, required.includes(name))} | ${variable.description.replace(/\|/g, '\\|')} |`,
    );
  });
  return ['| variable | part | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function shownDefault(variable: VariableSchema, required: boolean): string {
  if (required) return '(required)';
  const value = variable.shownDefault ?? variable.default;
  return value === undefined ? 'unset' : `\`${value}\``;
}
