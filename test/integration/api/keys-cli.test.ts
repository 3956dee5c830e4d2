/** The `keys` CLI, run in-process against a test schema. */
import { runCli, type CliIo } from '../../../src/auth/keys-command.js';
import { findApiKeyByKey, hashApiKey } from '../../../src/auth/api-keys.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('api_cli');
});
afterAll(async () => {
  await db.close();
});

function io(databaseUrl = db.url): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { databaseUrl, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

test('keys create prints the key alone on its last line; only its hash is stored', async () => {
  const out = io();
  expect(await runCli(['keys', 'create', 'ci', '--scopes', 'read,send'], out)).toBe(0);
  const key = out.lines[out.lines.length - 1]!;
  expect(key).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
  const row = await db.prisma.apiKey.findFirstOrThrow({ where: { name: 'ci' } });
  expect(row).toMatchObject({ keyHash: hashApiKey(key), prefix: key.slice(0, 8), scopes: ['read', 'send'], revokedAt: null });
  expect(await findApiKeyByKey(db.prisma, key)).toMatchObject({ id: row.id });
});

test('keys list shows prefixes and state, never keys; keys revoke revokes', async () => {
  const created = io();
  await runCli(['keys', 'create', 'to-revoke'], created);
  const key = created.lines[created.lines.length - 1]!;
  const row = await db.prisma.apiKey.findFirstOrThrow({ where: { name: 'to-revoke' } });

  expect(await runCli(['keys', 'revoke', row.id], io())).toBe(0);
  expect(await findApiKeyByKey(db.prisma, key)).toBeNull();
  expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();

  const list = io();
  expect(await runCli(['keys', 'list'], list)).toBe(0);
  const line = list.lines.find((l) => l.startsWith(row.id))!;
  expect(line).toContain(key.slice(0, 8));
  expect(line).toContain('revoked');
  expect(list.lines.join('\n')).not.toContain(key);
});

test('usage errors exit 2; an unknown id exits 1', async () => {
  expect(await runCli(['keys', 'create'], io())).toBe(2);
  expect(await runCli(['keys', 'create', 'x', '--scopes', 'root'], io())).toBe(2);
  expect(await runCli(['keys', 'frobnicate'], io())).toBe(2);
  expect(await runCli([], io())).toBe(2);
  const missing = io();
  expect(await runCli(['keys', 'revoke', '00000000-0000-4000-8000-000000000000'], missing)).toBe(1);
  expect(missing.errors.join('\n')).toContain('no API key');
});

test('an unreachable Postgres exits 1 with advice instead of a stack trace', async () => {
  const out = io('postgresql://postgres@127.0.0.1:1/nowhere');
  expect(await runCli(['keys', 'list'], out)).toBe(1);
  expect(out.errors.join('\n')).toMatch(/Cannot reach Postgres/);
});
