/** One test per class of the Yeastar classification tables. */
import type { HttpAnswer } from '../../../src/providers/http-client.js';
import { classifySendError, classifyYeastarFailure, isTokenExpired } from '../../../src/providers/yeastar/errors.js';

const NOW = Date.parse('2025-07-01T00:00:00Z');
const answer = (body: unknown, status = 200, headers: HttpAnswer['headers'] = {}): HttpAnswer => ({ status, body, headers });

describe('yeastar classification', () => {
  it('40002 PARAMETER ERROR is permanent and names the field', () => {
    const err = classifyYeastarFailure(
      answer({ errcode: 40002, errmsg: 'PARAMETER ERROR', invalid_param_list: [{ field: 'to', validation_type: 'required' }] }),
      NOW,
    );
    expect(err).toMatchObject({ errorClass: 'permanent', providerCode: '40002', field: 'to', retryable: false });
    expect(err.providerMessage).toContain('to');
  });

  it('40003 DUPLICATE KEY VALUE is permanent', () => {
    expect(classifyYeastarFailure(answer({ errcode: 40003, errmsg: 'DUPLICATE KEY VALUE' }), NOW)).toMatchObject({ errorClass: 'permanent' });
  });

  it('-1 FAILURE on send is retryable', () => {
    expect(classifyYeastarFailure(answer({ errcode: -1, errmsg: 'FAILURE' }), NOW)).toMatchObject({ errorClass: 'retryable', retryable: true });
  });

  it('10004 / TOKEN EXPIRED is recognised and classed auth', () => {
    expect(isTokenExpired({ errcode: 10004, errmsg: 'TOKEN EXPIRED' })).toBe(true);
    expect(isTokenExpired({ errcode: 99, errmsg: 'token expired' })).toBe(true);
    expect(isTokenExpired({ errcode: 0, errmsg: 'SUCCESS' })).toBe(false);
    expect(classifyYeastarFailure(answer({ errcode: 10004, errmsg: 'TOKEN EXPIRED' }), NOW)).toMatchObject({ errorClass: 'auth' });
  });

  it('unknown errcodes are permanent, keeping code and message', () => {
    expect(classifyYeastarFailure(answer({ errcode: 70001, errmsg: 'SOMETHING NEW' }), NOW)).toMatchObject({
      errorClass: 'permanent',
      providerCode: '70001',
      providerMessage: 'SOMETHING NEW',
    });
  });

  it('HTTP 429 is rate_limited with Retry-After in seconds or as an HTTP date', () => {
    expect(classifyYeastarFailure(answer('', 429, { 'retry-after': '7' }), NOW)).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 7000 });
    const date = new Date(NOW + 30_000).toUTCString();
    expect(classifyYeastarFailure(answer('', 429, { 'retry-after': date }), NOW)).toMatchObject({ retryAfterMs: 30_000 });
  });

  it('5xx is retryable; 401/403 are auth; an unknown 404 page is permanent', () => {
    expect(classifyYeastarFailure(answer('<html>bad gateway</html>', 502), NOW)).toMatchObject({ errorClass: 'retryable', providerCode: 'HTTP_502' });
    expect(classifyYeastarFailure(answer('', 403), NOW)).toMatchObject({ errorClass: 'auth' });
    expect(classifyYeastarFailure(answer('not found', 404), NOW)).toMatchObject({ errorClass: 'permanent', providerCode: 'HTTP_404' });
  });

  it('send_error classes: retry, permanent, window closed, auth_fail', () => {
    expect(classifySendError('service_unavailable').errorClass).toBe('retryable');
    expect(classifySendError('too_many_request').errorClass).toBe('rate_limited');
    expect(classifySendError('invalid_phone_number').errorClass).toBe('permanent');
    expect(classifySendError('template_not_exist').errorClass).toBe('permanent');
    expect(classifySendError('exceeds_time_limit').errorClass).toBe('window_closed');
    expect(classifySendError('auth_fail')).toMatchObject({ errorClass: 'auth', pauseSender: true });
    expect(classifySendError('brand_new_error').errorClass).toBe('permanent');
  });

  it('send_fail reads the Meta code in send_error_msg', () => {
    expect(classifySendError('send_fail', '(#131047) Re-engagement message').errorClass).toBe('window_closed');
    expect(classifySendError('send_fail', '(#131050) user stopped marketing')).toMatchObject({ errorClass: 'permanent', optedOut: true });
    expect(classifySendError('send_fail', 'no code here').errorClass).toBe('permanent');
  });

  it('a send_error in a synchronous answer wins over its errcode', () => {
    const err = classifyYeastarFailure(
      answer({ errcode: -1, errmsg: 'FAILURE', send_error: 'exceeds_time_limit', send_error_msg: 'outside the window' }),
      NOW,
    );
    expect(err).toMatchObject({ errorClass: 'window_closed', providerCode: 'exceeds_time_limit', code: 'PROVIDER_WINDOW_CLOSED' });
  });
});
