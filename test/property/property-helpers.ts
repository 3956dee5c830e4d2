/**
 * Shared by the property suites: hostile values, and the one assertion every answer must pass —
 * never a 5xx, and every error a registered code with its registered status.
 *
 * Run sizes: each suite's numRuns is chosen so the whole property directory stays well under 60 s
 * on a loaded 2-core machine (each run is one request against real Postgres). A failure prints the
 * seed and the shrunk counterexample; re-run it with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../../src/errors/index.js';

/** What every answer must be: no 5xx, and a stable, correctly mapped code on every error. */
export function expectStableAnswer(res: LightMyRequestResponse, context: unknown): void {
  if (res.statusCode >= 500) {
    throw new Error(`5xx (${res.statusCode}) for ${JSON.stringify(context)?.slice(0, 2_000)}: ${res.body.slice(0, 500)}`);
  }
  if (res.statusCode < 400) return;
  let code: string | undefined;
  try {
    code = (res.json() as { error?: { code?: string } }).error?.code;
  } catch {
    throw new Error(`error answer ${res.statusCode} is not JSON: ${res.body.slice(0, 200)}`);
  }
  if (code === undefined || !(code in ERROR_CODES)) throw new Error(`unregistered error code ${String(code)} (${res.statusCode}): ${res.body.slice(0, 300)}`);
  if (ERROR_CODES[code as ErrorCode].status !== res.statusCode) {
    throw new Error(`code ${code} answered with ${res.statusCode}, registered as ${ERROR_CODES[code as ErrorCode].status}`);
  }
}

/** Strings people and attackers type: quotes, emoji, controls, NUL, RTL marks, SQL, templates, paths. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    "'",
    '\\',
    '\u0000',
    'a\u0000b',
    '\uD800',
    '\uFEFF',
    '\u202Etxt.exe',
    '😀👍🏽👨‍👩‍👧',
    "'; DROP TABLE campaigns; --",
    '{{name}}',
    '{{ }}',
    '${process.env}',
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
    '%00',
    '%2e%2e%2f',
    'null',
    'true',
    '1e309',
    '-0',
    'NaN',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON-ish value, hostile strings included, including prototype-pollution keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, true, false, 0, -1, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e308),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')), tie('value'), { maxKeys: 4 }),
  ),
})).value;
