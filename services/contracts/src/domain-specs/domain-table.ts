import { DOMAINS, domainSpec } from './registry';

/**
 * The README's table of domains and fields, from the registry: `npm run docs:domains` writes it
 * between the README's `domains:start` and `domains:end` markers, and a test keeps them equal.
 */
export function domainTableMarkdown(): string {
  const rows = DOMAINS.flatMap((domain) => {
    const spec = domainSpec(domain);
    return Object.entries(spec.fields).map(([name, field], index) => {
      const notes = [
        spec.required.includes(name) ? 'required' : '',
        name === spec.primaryField ? 'health rules' : '',
        name === spec.chartField ? 'charted' : '',
      ].filter(Boolean);
      return `| ${index === 0 ? `\`${domain}\`` : ''} | \`${name}\` | ${field.unit} | ${field.min} – ${field.max}${field.integer ? ', whole' : ''} | ${10 ** -field.decimals} | ${index === 0 && spec.period ? 'yes' : ''} | ${notes.join(', ')} |`;
    });
  });
  return [
    '| domain | field | unit | physical range | shown and exported to | `periodS` required | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Table rows compared as cells, whatever padding a formatter gave them. */
export function normalisedTable(markdown: string): string[] {
  return markdown
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/-{3,}/g, '---'),
    );
}
