import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalisedTable } from '@meetnet/contracts';
import { appConfigTable as configTableMarkdown } from './app-config';

describe("the README's configuration table", () => {
  it('is the one the config slices generate (npm run docs:config rewrites it)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const block = /<!-- config:start -->([\s\S]*?)<!-- config:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(normalisedTable(block!)).toEqual(normalisedTable(configTableMarkdown()));
  });

  it('lists every variable the service reads, once', () => {
    const names = configTableMarkdown()
      .split('\n')
      .slice(2)
      .map((row) => /^\| `([A-Z0-9_]+)`/.exec(row)?.[1]);
    expect(names).not.toContain(undefined);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['NODE_ENV', 'INFLUX_WRITE_TOKEN', 'HEALTH_DOMAIN_THRESHOLDS']),
    );
  });
});
