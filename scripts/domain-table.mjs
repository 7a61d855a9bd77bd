// `npm run docs:domains`: rewrites the README's domain table from the contracts' registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { domainTableMarkdown } = require('../services/contracts/dist/index.js');
const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const marked = /(<!-- domains:start -->)[\s\S]*?(<!-- domains:end -->)/;
if (!marked.test(readme))
  throw new Error('README.md: no <!-- domains:start --> … <!-- domains:end --> block');
writeFileSync(
  file,
  readme.replace(marked, (_, start, end) => `${start}\n\n${domainTableMarkdown()}\n\n${end}`),
);
