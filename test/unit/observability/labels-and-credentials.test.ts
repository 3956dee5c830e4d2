/** Small pure pieces of observability: the provider-call outcome label and the job board's credentials. */
import { boardCredential } from '../../../src/api/plugins/board-credential.js';
import { providerCallOutcomeOf } from '../../../src/observability/dispatch-metrics.js';

test('a provider call outcome is the error class of what it threw, else error', () => {
  expect(providerCallOutcomeOf(Object.assign(new Error('x'), { errorClass: 'window_closed' }))).toBe('window_closed');
  expect(providerCallOutcomeOf(Object.assign(new Error('x'), { errorClass: 'made-up' }))).toBe('error');
  expect(providerCallOutcomeOf(new Error('x'))).toBe('error');
  expect(providerCallOutcomeOf(null)).toBe('error');
});

describe('boardCredential', () => {
  const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

  test('reads a Bearer key, or the password of Basic whatever the user name', () => {
    expect(boardCredential('Bearer cdk_abc')).toBe('cdk_abc');
    expect(boardCredential(basic('ops:cdk_abc'))).toBe('cdk_abc');
    expect(boardCredential(basic(':cdk_abc'))).toBe('cdk_abc');
    // Only the first colon separates: a password may contain colons.
    expect(boardCredential(basic('ops:cdk:abc'))).toBe('cdk:abc');
  });

  test('finds nothing in a missing, empty or malformed header', () => {
    expect(boardCredential(undefined)).toBeUndefined();
    expect(boardCredential(basic('ops:'))).toBeUndefined();
    expect(boardCredential(basic('no-colon'))).toBeUndefined();
    expect(boardCredential('Basic !!!')).toBeUndefined();
    expect(boardCredential('Digest abc')).toBeUndefined();
  });
});
