// The official `openai` npm client against a live gateway with its embedded simulated
// cluster: a client nobody on this project wrote must work unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const binary = process.env.AUTOGLM_BINARY ?? join(root, 'build', 'autoglm');
const dir = mkdtempSync(join(tmpdir(), 'autoglm-openai-'));
const readyFile = join(dir, 'port');
let gateway;
let client;

async function waitForPort(deadlineMs) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (existsSync(readyFile)) {
      const port = parseInt(readFileSync(readyFile, 'utf8'), 10);
      if (port > 0) return port;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('gateway did not start');
}

before(async () => {
  gateway = spawn(binary, [
    'serve', '-c', join(root, 'config', 'autoglm.yaml'),
    '--set', 'server.port=0', '--set', 'server.host=127.0.0.1',
    '--set', 'cluster.simulated.speedup=20',
    '--set', `database.url=sqlite://${join(dir, 'autoglm.db')}`,
    '--ready-file', readyFile,
  ], { stdio: 'inherit' });
  const port = await waitForPort(20000);
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'not-checked', maxRetries: 0 });
});

after(() => {
  if (gateway) gateway.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('lists the embedded model', async () => {
  const models = await client.models.list();
  const ids = models.data.map((m) => m.id);
  assert.ok(ids.includes('autoglm-sim-8b'), `models: ${ids}`);
});

test('chat completion', async () => {
  const answer = await client.chat.completions.create({
    model: 'autoglm-sim-8b',
    messages: [{ role: 'user', content: 'Hello from the official client' }],
    max_tokens: 6,
  });
  assert.equal(answer.object, 'chat.completion');
  assert.equal(answer.usage.completion_tokens, 6);
  assert.ok(answer.choices[0].message.content.length > 0);
});

test('streamed chat completion', async () => {
  const stream = await client.chat.completions.create({
    model: 'autoglm-sim-8b',
    messages: [{ role: 'user', content: 'Stream to me' }],
    max_tokens: 5,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta?.content ?? '';
      finish = chunk.choices[0].finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(text.length > 0);
  assert.equal(finish, 'length');
  assert.equal(usage.completion_tokens, 5);
});

test('unknown model is a 404 the client understands', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err.status === 404 && /nope/.test(err.message),
  );
});
