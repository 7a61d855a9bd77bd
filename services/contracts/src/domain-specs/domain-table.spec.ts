import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { domainTableMarkdown, normalisedTable } from './domain-table';

describe("the README's domain table", () => {
  it('is the one the registry generates (npm run docs:domains rewrites it)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../../README.md'), 'utf8');
    const block = /<!-- domains:start -->([\s\S]*?)<!-- domains:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(normalisedTable(block!)).toEqual(normalisedTable(domainTableMarkdown()));
  });
});
