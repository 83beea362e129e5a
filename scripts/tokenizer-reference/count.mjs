// Regenerates tests/parse/fixtures/token_counts.json: the cl100k_base token count of every
// fixture text, the reference that tests/parse/token_estimator_test.cpp calibrates against.
// Usage: npm ci && npm run count   (from scripts/tokenizer-reference/)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', 'tests', 'parse', 'fixtures');
const textsDir = join(fixtures, 'texts');
const require = createRequire(import.meta.url);
const { version } = require('gpt-tokenizer/package.json');

const names = readdirSync(textsDir).filter((f) => f.endsWith('.txt')).sort();
const entries = names.map((file) => {
  const text = readFileSync(join(textsDir, file), 'utf8');
  return {
    name: file.replace(/\.txt$/, ''),
    file: `texts/${file}`,
    tokenizer: 'cl100k_base',
    bytes: Buffer.byteLength(text, 'utf8'),
    count: countTokens(text),
  };
});

const out = {
  tokenizer: 'cl100k_base',
  package: 'gpt-tokenizer',
  package_version: version,
  generator: 'scripts/tokenizer-reference/count.mjs',
  fixtures: entries,
};
writeFileSync(join(fixtures, 'token_counts.json'), JSON.stringify(out, null, 2) + '\n');
for (const e of entries) console.log(`${e.name.padEnd(20)} ${String(e.count).padStart(6)}`);
