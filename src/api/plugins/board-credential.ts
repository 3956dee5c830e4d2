/**
 * Reading an API key from the two ways the job board accepts one: `Authorization: Bearer <key>`
 * (scripts, curl) and HTTP Basic (browsers, which only prompt for Basic) — any user name, the API
 * key as the password, since keys are already the one credential this service has.
 */
import { bearerToken } from '../auth-hook.js';

/** The API key in a Bearer header, or the password of a Basic one; undefined otherwise. */
export function boardCredential(header: string | undefined): string | undefined {
  const bearer = bearerToken(header);
  if (bearer !== undefined) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
}
