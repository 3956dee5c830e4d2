/**
 * Rewrites every channel's stored credentials as an envelope under the keyring's current key:
 * legacy plaintext rows get encrypted, rows under a previous key get re-encrypted (key rotation).
 * Meant for a one-off CLI command (`channels encrypt-credentials`); safe to run again, and safe
 * while the API and workers run — both read plaintext and every configured key.
 *
 * Each row is updated only if its credentials are still what was read (compare-and-set), so a
 * channel edited in between is left for the next run rather than overwritten with stale values.
 */
import type { PrismaClient } from '../db/prisma.js';
import { Prisma } from '../db/prisma.js';
import { decryptCredentials, encryptCredentials, needsReencryption } from './credentials.js';
import type { Keyring } from './keyring.js';

export interface ReencryptResult {
  /** Rows rewritten under the current key. */
  rewritten: number;
  /** Rows already under the current key (or empty). */
  unchanged: number;
  /** Rows that changed between read and write; run again. */
  skipped: number;
  /** Rows whose envelope no configured key opens (their channel ids). */
  unreadable: string[];
}

export async function reencryptChannelCredentials(prisma: PrismaClient, keyring: Keyring): Promise<ReencryptResult> {
  const result: ReencryptResult = { rewritten: 0, unchanged: 0, skipped: 0, unreadable: [] };
  const rows = await prisma.channel.findMany({ select: { id: true, credentials: true }, orderBy: { id: 'asc' } });
  for (const row of rows) {
    if (!needsReencryption(row.credentials, keyring)) {
      result.unchanged += 1;
      continue;
    }
    let plain: Record<string, unknown>;
    try {
      plain = decryptCredentials(row.credentials, keyring);
    } catch {
      result.unreadable.push(row.id);
      continue;
    }
    const updated = await prisma.channel.updateMany({
      where: { id: row.id, credentials: { equals: row.credentials as Prisma.InputJsonValue } },
      data: { credentials: encryptCredentials(plain, keyring) as unknown as Prisma.InputJsonObject },
    });
    if (updated.count === 1) result.rewritten += 1;
    else result.skipped += 1;
  }
  return result;
}
