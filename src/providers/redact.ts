/**
 * Secret scrubbing for anything that leaves the provider layer as text (log lines, error messages).
 * Yeastar carries its access token in the query string, so every URL we show is passed through here.
 */

/** Query parameters whose values are secrets. */
const SECRET_PARAMS = ['access_token', 'refresh_token', 'token', 'api_key', 'apikey', 'password'];

const SECRET_PARAM_PATTERN = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi');

/**
 * Replaces the value of every secret query parameter in `text` (a URL, or any message that may
 * embed one) with `[redacted]`.
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAM_PATTERN, '$1[redacted]');
}

/** Removes each of `secrets` (verbatim occurrences) from `text`; empty secrets are ignored. */
export function scrubValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
