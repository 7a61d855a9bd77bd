// `npm run docs:config`: rewrites the README's configuration table from the config slices.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { appConfigTable } = require('../services/server/dist/app-config.js');
const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const marked = /(<!-- config:start -->)[\s\S]*?(<!-- config:end -->)/;
if (!marked.test(readme)) throw new Error('README.md: no <!-- config:start --> … <!-- config:end --> block');
writeFileSync(
  file,
  readme.replace(marked, (_, start, end) => `${start}\n\n${appConfigTable()}\n\n${end}`),
);
