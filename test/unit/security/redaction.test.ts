/** What the logger never writes: provider secrets, tokens and keys, at any of the usual depths. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACTED_PATHS } from '../../../src/observability/logger.js';
import { loadConfig } from '../../../src/config/config.js';

function logged(obj: Record<string, unknown>): string {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      out += chunk.toString();
      done();
    },
  });
  pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink).info(obj, 'line');
  return out;
}

const SECRET = 's3cr3t-value-abc';

it.each([
  ['top level', { credentials: { apiKey: SECRET } }],
  ['one level down', { channel: { credentials: { apiKey: SECRET } } }],
  ['two levels down', { body: { channel: { credentials: SECRET } } }],
  ['a bare apiKey', { apiKey: SECRET }],
  ['a nested webhookSecret', { spec: { webhookSecret: SECRET } }],
  ['a token', { answer: { access_token: SECRET } }],
  ['request headers', { req: { headers: { authorization: `Bearer ${SECRET}` } } }],
  ['provider request headers', { request: { headers: { 'x-api-key': SECRET } } }],
])('redacts secrets at %s', (_label, obj) => {
  expect(logged(obj)).not.toContain(SECRET);
});

it('a logged config shows key ids, never key material', () => {
  const key = Buffer.alloc(32, 9).toString('base64');
  const config = loadConfig({ CREDENTIALS_KEY: `prod1:${key}` });
  const line = logged({ config });
  expect(line).not.toContain(key);
});
