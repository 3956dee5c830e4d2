import { createHmac } from 'node:crypto';
import { findSigner, signBody, verifySignature } from '../../../src/webhooks/signature.js';

const body = Buffer.from('{"type":30032,"sn":"X","msg":{"msg_id":1}}');
const secret = 'whsec-1';

describe('webhook signatures', () => {
  it('accepts Base64(HMAC-SHA256(raw body, secret))', () => {
    const expected = createHmac('sha256', secret).update(body).digest('base64');
    expect(signBody(body, secret)).toBe(expected);
    expect(verifySignature(body, expected, secret)).toBe(true);
    expect(verifySignature(body, ` ${expected} `, secret)).toBe(true);
  });

  it('refuses a signature under another secret or over other bytes', () => {
    expect(verifySignature(body, signBody(body, 'other'), secret)).toBe(false);
    // Same JSON, different whitespace: the raw bytes are what is signed.
    expect(verifySignature(Buffer.from('{"type": 30032,"sn":"X","msg":{"msg_id":1}}'), signBody(body, secret), secret)).toBe(false);
  });

  it('refuses wrong-length, non-Base64, hex, missing, repeated and empty signatures without throwing', () => {
    const good = signBody(body, secret);
    expect(verifySignature(body, good.slice(0, 20), secret)).toBe(false);
    expect(verifySignature(body, `${good}AAAA`, secret)).toBe(false);
    expect(verifySignature(body, createHmac('sha256', secret).update(body).digest('hex'), secret)).toBe(false);
    expect(verifySignature(body, 'not base64 at all!', secret)).toBe(false);
    expect(verifySignature(body, undefined, secret)).toBe(false);
    expect(verifySignature(body, [good, good], secret)).toBe(false);
    expect(verifySignature(body, '', secret)).toBe(false);
    expect(verifySignature(body, good, '')).toBe(false);
  });

  it('finds the channel whose secret signed the body', () => {
    const channels = [{ id: 'a', secret: 's-a' }, { id: 'b', secret: 's-b' }];
    expect(findSigner(body, signBody(body, 's-b'), channels)?.id).toBe('b');
    expect(findSigner(body, signBody(body, 's-c'), channels)).toBeUndefined();
  });
});
