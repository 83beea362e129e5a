// The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core,
// against the real gateway binary with its embedded cluster of 4 simulated nodes. Sees the
// nodes, submits a DAG through the API and watches it render and finish on the page, and
// asks for an admin key when authentication is on. Screenshots go to AUTOGLM_ARTIFACTS
// (CTest sets build/test-artifacts) as evidence of what the page looked like.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..');
const root = join(web, '..');
const binary = process.env.AUTOGLM_BINARY ?? join(root, 'build', 'autoglm');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = process.env.AUTOGLM_ARTIFACTS ?? join(root, 'build', 'test-artifacts');
const uiDir = join(web, 'dist');
const work = mkdtempSync(join(tmpdir(), 'autoglm-dashboard-'));
const MODEL = 'autoglm-sim-8b';
const ADMIN_KEY = 'dashboard-e2e-admin-key-0123456789';

// The flags the machine notes ask for: no sandbox (root), no GPU, and no network traffic of
// Chromium's own (the machine's network is closed).
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const gateways = [];
const contexts = [];

async function waitFor(what, check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Starts `autoglm serve` with `configFile` (by default the repository's, with 4 simulated
// nodes running `speedup` times faster than real time) on a free port; returns its base URL.
async function startGateway(name, configFile = join(root, 'config', 'autoglm.yaml'), speedup = 20) {
  const dir = join(work, name);
  mkdirSync(dir);
  const readyFile = join(dir, 'port');
  const child = spawn(binary, [
    'serve', '-c', configFile,
    '--set', 'server.port=0', '--set', 'server.host=127.0.0.1',
    '--set', 'server.drain-pause=0s',
    '--set', `cluster.simulated.speedup=${speedup}`,
    '--set', `database.url=sqlite://${join(dir, 'autoglm.db')}`,
    '--set', `ui.dir=${uiDir}`,
    '--set', 'logging.level=warn',
    '--ready-file', readyFile,
  ], { stdio: ['ignore', 'inherit', 'inherit'] });
  gateways.push(child);
  const port = await waitFor('the gateway', () => {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    if (!existsSync(readyFile)) return 0;
    return parseInt(readFileSync(readyFile, 'utf8'), 10) || 0;
  }, 30_000);
  return `http://127.0.0.1:${port}`;
}

async function openPage(name) {
  const context = await chromium.launchPersistentContext(join(work, `${name}-profile`), {
    executablePath: browserPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('401')) problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

function shot(page, name) {
  return page.screenshot({ path: join(artifacts, name), fullPage: true });
}

before(() => {
  assert.ok(existsSync(join(uiDir, 'index.html')), `the UI is not built in ${uiDir}: run make build`);
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  for (const g of gateways) g.kill('SIGTERM');
  await Promise.all(gateways.map((g) => (g.exitCode !== null ? null : new Promise((r) => g.on('exit', r)))));
  rmSync(work, { recursive: true, force: true });
});

test('shows the nodes, then a DAG submitted through the API running to the end', async () => {
  // Real time (about a second per task below), so the page shows the DAG run in progress.
  const base = await startGateway('open', undefined, 1);
  const { page, problems } = await openPage('open');
  await page.goto(`${base}/ui/`);
  await page.evaluate(() => { window.sameDocument = true; }); // gone if anything reloads

  // Cluster: the 4 simulated nodes, each healthy, live from the stream.
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll('tr[data-node]').length === 4, null, { timeout: 15_000 });
  const nodes = await page.$$eval('tr[data-node]', (rows) => rows.map((r) => r.dataset.node));
  assert.equal(nodes.length, 4);
  await page.waitForFunction(
    () => [...document.querySelectorAll('tr[data-node] .badge')].filter((b) => b.textContent === 'healthy').length >= 4,
    null, { timeout: 15_000 });
  await shot(page, 'dashboard-cluster.png');

  // The work view is open before the DAG exists, so the page must pick it up live.
  await page.click('.tabs a[data-view="work"]');
  await page.waitForSelector('#dag-runs .empty');
  // A diamond DAG (extract, then summarise and translate in parallel, then report), each
  // task long enough that the page shows the run in progress before it finishes.
  const task = (id, requires) => ({
    id, requires, kind: 'chat', model: MODEL,
    payload: { messages: [{ role: 'user', content: `Write about ${id}.` }], max_tokens: 160 },
  });
  const res = await fetch(`${base}/v1/dags`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'e2e-diamond',
      tasks: [task('extract', []), task('summarise', ['extract']), task('translate', ['extract']),
        task('report', ['summarise', 'translate'])],
    }),
  });
  const answer = await res.text();
  assert.equal(res.status, 201, answer);
  const run = JSON.parse(answer);

  const article = `article.dag-run[data-run="${run.id}"]`;
  await page.waitForSelector(`${article}[data-state="running"] svg.dag`, { timeout: 15_000 });
  await shot(page, 'dashboard-work-running.png');
  assert.equal(await page.locator(`${article} g.dag-node`).count(), 4);
  assert.equal(await page.locator(`${article} path.dag-edge`).count(), 4);
  // Live updates: the same page, no reload, until every task has succeeded.
  await page.waitForSelector(`${article}[data-state="succeeded"]`, { timeout: 60_000 });
  await page.waitForFunction(
    (sel) => document.querySelectorAll(`${sel} g.dag-node[data-state="succeeded"]`).length === 4,
    article, { timeout: 15_000 });
  const timings = await page.$$eval(`${article} g.dag-node .dag-time`, (ts) => ts.map((t) => t.textContent));
  assert.ok(timings.every((t) => /^succeeded · \d/.test(t)), `timings: ${timings}`);
  // Its tasks are listed too, and the state filter narrows them.
  await page.selectOption('#task-state', 'succeeded');
  await page.waitForFunction(() => document.querySelectorAll('#task-rows tr[data-task]').length >= 4);
  await shot(page, 'dashboard-work.png');

  await page.click('.tabs a[data-view="scheduler"]');
  await page.waitForSelector('#policy-name');
  assert.equal(await page.textContent('#policy-name'), 'dynamic');
  await page.waitForSelector('#chart-ttft canvas', { timeout: 10_000 });
  await page.click('#theme-button');
  await shot(page, 'dashboard-scheduler-dark.png');

  assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page reloaded');
  assert.deepEqual(problems, []);
});

test('asks for an admin key when authentication is on, then shows the nodes', async () => {
  // The default file (which has no auth section) plus one admin key: --set cannot write lists.
  const config = join(work, 'autoglm-auth.yaml');
  writeFileSync(config, readFileSync(join(root, 'config', 'autoglm.yaml'), 'utf8') +
    `\nauth:\n  enabled: true\n  keys:\n    - {id: key_admin, tenant: ops, admin: true, key: ${ADMIN_KEY}}\n`);
  const base = await startGateway('auth', config);
  const { page, problems } = await openPage('auth');
  await page.goto(`${base}/ui/`);

  await page.waitForSelector('#key-dialog[open]', { timeout: 15_000 });
  assert.equal(await page.getAttribute('#conn', 'data-state'), 'auth');
  await page.fill('#key-input', ADMIN_KEY);
  await page.click('#key-dialog button[value="save"]');
  await page.waitForFunction(() => document.querySelectorAll('tr[data-node]').length === 4, null, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('autoglm.adminKey')), ADMIN_KEY);
  assert.deepEqual(problems, []);
});
