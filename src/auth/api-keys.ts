/**
 * API keys. A key is `cdk_` + 32 random bytes in base64url; only its SHA-256 is stored. A fast hash
 * is enough here (unlike for passwords): 256 random bits cannot be guessed, so there is nothing for
 * a slow hash to protect against, and the hot path stays cheap.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db/prisma.js';
import { AppError } from '../errors/index.js';

export const KEY_PREFIX = 'cdk_';
/** What a key may do. read: GET routes; send: create and launch campaigns; admin: manage channels. */
export const SCOPES = ['read', 'send', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

function toRecord(row: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; revokedAt: Date | null; lastUsedAt: Date | null }): ApiKeyRecord {
  return { ...row, scopes: row.scopes.filter(isScope) };
}

/**
 * Creates a key. The key itself is returned once and cannot be recovered later.
 * @throws AppError VALIDATION_FAILED for an empty name or an unknown scope.
 */
export async function createApiKey(
  prisma: PrismaClient,
  name: string,
  scopes: readonly Scope[] = SCOPES,
): Promise<{ id: string; key: string; prefix: string }> {
  if (name.trim() === '') throw new AppError('VALIDATION_FAILED', 'a key needs a name', { field: 'name' });
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `unknown scope(s): ${unknown.join(', ')}; use ${SCOPES.join(', ')}`, { field: 'scopes' });
  }
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const prefix = key.slice(0, 8);
  const row = await prisma.apiKey.create({
    data: { name: name.trim(), keyHash: hashApiKey(key), prefix, scopes: [...new Set(scopes)] },
    select: { id: true },
  });
  return { id: row.id, key, prefix };
}

/** The non-revoked key with this value, or null. */
export async function findApiKeyByKey(prisma: PrismaClient, key: string): Promise<ApiKeyRecord | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const row = await prisma.apiKey.findFirst({
    where: { keyHash: hashApiKey(key), revokedAt: null },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, revokedAt: true, lastUsedAt: true },
  });
  return row ? toRecord(row) : null;
}

/**
 * Revokes a key. Revoking an already revoked key is a no-op that keeps the first revocation time.
 * @returns false when no key has that id.
 */
export async function revokeApiKey(prisma: PrismaClient, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return false;
  const key = await prisma.apiKey.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!key) return false;
  if (key.revokedAt === null) {
    await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
  return true;
}

/** Every key (revoked ones too), newest first. Never includes the key or its hash. */
export async function listApiKeys(prisma: PrismaClient): Promise<ApiKeyRecord[]> {
  const rows = await prisma.apiKey.findMany({
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, revokedAt: true, lastUsedAt: true },
  });
  return rows.map(toRecord);
}

/** Records that a key was used (called at most once per cache period per key). */
export async function touchApiKey(prisma: PrismaClient, id: string, at: Date): Promise<void> {
  await prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
}
