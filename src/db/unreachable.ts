/**
 * Turns "cannot connect" errors from Postgres or Redis into advice a person can act on, instead of
 * a stack trace. Returns undefined for any other error.
 */
const CONNECT_CODES = new Set(['P1001', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000', '28P01', '28000']);

export function explainUnreachable(err: unknown, what?: { databaseUrl?: string; redisUrl?: string }): string | undefined {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  const codes = [e?.code, ...(e?.errors ?? []).map((x) => x.code)].filter(Boolean) as string[];
  const message = String(e?.message ?? '');
  const isConnect = codes.some((c) => CONNECT_CODES.has(c)) || /connect|timeout|Connection terminated/i.test(message);
  if (!isConnect) return undefined;
  const isRedis = /6379|redis/i.test(message) || /redis/i.test(String((err as Error)?.stack ?? ''));
  const target = isRedis
    ? `Redis at ${safe(what?.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')}`
    : `Postgres at ${safe(what?.databaseUrl ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campaign_dispatch')}`;
  return [
    `Cannot reach ${target} (${codes[0] ?? message}).`,
    'Start Postgres 16 and Redis 7 with:  docker compose up -d postgres redis',
    'or point at running ones:           DATABASE_URL=postgresql://user@host:5432/db REDIS_URL=redis://host:6379',
  ].join('\n');
}

/** Hides the password in a URL. */
function safe(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
