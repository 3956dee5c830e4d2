/**
 * The operator CLI as scripts meet it: the built `node dist/scripts/cli.js` run as a child process
 * (real exit codes, real stdout) against a live API on a port, an in-process worker runtime and the
 * Yeastar simulator. Asserts on exit codes, the lines scripts read, and the database.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { REPO_ROOT } from '../../../src/db/paths.js';
import { campaignStatus, testNumber, waitFor } from '../dispatch/fixtures.js';
import { startLiveStack, type LiveStack } from '../admin/live-stack.js';

const CLI = join(REPO_ROOT, 'dist', 'scripts', 'cli.js');
jest.setTimeout(180_000);

let stack: LiveStack;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  stack = await startLiveStack('cli', { ratePerSecond: 100 });
  dir = await mkdtemp(join(tmpdir(), 'cd-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  await stack?.close();
});

interface Run {
  code: number | null;
  stdout: string[];
  stderr: string;
}

/** Runs the CLI with the stack's URL and admin key unless `env` says otherwise. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', CD_API_URL: stack.baseUrl, CD_API_KEY: stack.keys.admin, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stdout.trimEnd().split('\n'), stderr }));
  });
}

/** A port nothing listens on: one the OS just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('campaigns create --follow: draft, CSV upload, launch, a live follow to completion (exit 0)', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => `${testNumber(i)};"N ${i}"`);
  // A bad number and a repeated one: refused by the upload, reported, not sent.
  const csv = ['number;name', ...rows, 'not-a-number;X', `${testNumber(7)};again`].join('\r\n');
  const file = join(dir, 'recipients.csv');
  await writeFile(file, csv);

  const run = await cli(['campaigns', 'create', '--channel', stack.channelId, '--csv', file, '--name', 'from-csv', '--text', 'Hi {{name}}', '--follow']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const id = /^created campaign ([0-9a-f-]{36}) \(draft\)$/.exec(run.stdout[0] ?? '')?.[1];
  expect(id).toBeDefined();
  expect(run.stdout[1]).toBe(`uploaded ${file}: 300 recipients (1 rows rejected, 1 duplicates)`);
  expect(run.stdout).toContain(`launched campaign ${id} (running)`);
  // Not a terminal: plain progress lines, then the tally as the last line.
  expect(run.stdout.some((l) => /^(running|completed) +sent \d+\/300/.test(l))).toBe(true);
  expect(run.stdout.at(-1)).toBe(`campaign ${id} completed: 300 sent, 0 failed, 0 skipped, 0 expired, 0 cancelled (of 300)`);

  expect(await campaignStatus(stack.db.pool, id!)).toBe('completed');
  const sent = stack.sim.acceptedSends();
  expect(sent).toHaveLength(300);
  // The seed row went out with its variables like any other (it came from the same file).
  expect(JSON.stringify(sent.find((s) => s.to === testNumber(0))?.body)).toContain('Hi N 0');
  expect(JSON.stringify(sent.find((s) => s.to === testNumber(3))?.body)).toContain('Hi N 3');

  const list = await cli(['campaigns', 'list', '--status', 'completed']);
  expect(list.code).toBe(0);
  expect(list.stdout.find((l) => l.startsWith(id!))).toMatch(/completed +300 .* from-csv$/);
  const show = await cli(['campaigns', 'show', id!]);
  expect(show.code).toBe(0);
  expect(show.stdout).toContain('status      completed');
  expect(show.stdout.find((l) => l.startsWith('progress'))).toContain('sent 300/300 (100%)');
});

test('pause, resume and cancel; following a cancelled campaign exits 1', async () => {
  const id = await stack.startCampaign('cli-controlled', 3_000);
  await waitFor('the first sends', async () => stack.sim.acceptedSends().length > 300);

  const paused = await cli(['campaigns', 'pause', id]);
  expect(paused.code).toBe(0);
  expect(paused.stdout[0]).toBe(`pause: campaign ${id} is paused`);
  expect(await campaignStatus(stack.db.pool, id)).toBe('paused');
  // Pausing twice is a state conflict: the API's refusal, exit 1.
  const again = await cli(['campaigns', 'pause', id]);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^CAMPAIGN_STATE_CONFLICT: /);

  expect((await cli(['campaigns', 'resume', id])).code).toBe(0);
  expect(await campaignStatus(stack.db.pool, id)).toBe('running');

  const cancelled = await cli(['campaigns', 'cancel', id]);
  expect(cancelled.code).toBe(0);
  expect(cancelled.stdout[1]).toMatch(new RegExp(`^campaign ${id} cancelled: \\d+ sent, 0 failed, 0 skipped, 0 expired, [1-9]\\d* cancelled \\(of 3000\\)$`));
  expect(await campaignStatus(stack.db.pool, id)).toBe('cancelled');

  const followed = await cli(['campaigns', 'follow', id]);
  expect(followed.code).toBe(1);
  expect(followed.stdout.at(-1)).toMatch(new RegExp(`^campaign ${id} cancelled: `));
});

test('queues lists each queue with its counts and oldest waiting age', async () => {
  const run = await cli(['queues']);
  expect(run.code).toBe(0);
  expect(run.stdout.find((l) => l.startsWith('campaign-launch'))).toMatch(/waiting \d+ .* oldest waiting [\d.]+s$/);
  expect(run.stdout.some((l) => l.startsWith('send '))).toBe(true);
});

test('exit codes: usage 2, credentials refused 4, API unreachable 3', async () => {
  expect((await cli(['campaigns', 'create', '--csv', 'x.csv'])).code).toBe(2);
  expect((await cli(['campaigns', 'list', '--status', 'bogus'])).code).toBe(2);
  expect((await cli(['campaigns', 'frobnicate'])).code).toBe(2);
  expect((await cli([])).code).toBe(2);
  const noCsv = await cli(['campaigns', 'create', '--channel', stack.channelId, '--csv', join(dir, 'missing.csv'), '--name', 'n', '--text', 't']);
  expect(noCsv.code).toBe(2);
  expect(noCsv.stderr).toContain('cannot read --csv');

  const wrongKey = await cli(['campaigns', 'list'], { CD_API_KEY: 'cdk_not-a-key' });
  expect(wrongKey.code).toBe(4);
  expect(wrongKey.stderr).toMatch(/^UNAUTHENTICATED: /);
  const readOnly = await cli(['campaigns', 'cancel', '00000000-0000-4000-8000-000000000000', '--api-key', stack.keys.read]);
  expect(readOnly.code).toBe(4);
  expect(readOnly.stderr).toMatch(/^FORBIDDEN: /);

  const port = await closedPort();
  const unreachable = await cli(['campaigns', 'list', '--api-url', `http://127.0.0.1:${port}`]);
  expect(unreachable.code).toBe(3);
  expect(unreachable.stderr).toContain(`cannot reach the API at http://127.0.0.1:${port} (ECONNREFUSED)`);
});
