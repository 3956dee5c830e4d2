/** One test per class of the Connectly classification table. */
import { classifyConnectlyFailure } from '../../../src/providers/connectly/errors.js';
import type { HttpAnswer } from '../../../src/providers/http-client.js';

const NOW = Date.parse('2025-07-01T00:00:00Z');
const error = (code: string, status = 400, type = 'ERROR_TYPE_INVALID_REQUEST', headers: HttpAnswer['headers'] = {}): HttpAnswer => ({
  status,
  headers,
  body: { message: `msg for ${code}`, type, code, userTitle: '', userMessage: '', cntTraceId: 'tr', details: {} },
});

describe('connectly classification', () => {
  it('window-closed codes are window_closed, DEADLINE_EXCEEDED notwithstanding', () => {
    const err = classifyConnectlyFailure(error('ERROR_CODE_MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW', 400, 'ERROR_TYPE_DEADLINE_EXCEEDED'), NOW);
    expect(err).toMatchObject({ errorClass: 'window_closed', retryable: false, providerCode: 'ERROR_CODE_MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW' });
    expect(classifyConnectlyFailure(error('ERROR_CODE_MESSAGE_CUSTOMER_NO_CONVERSATION_INITIATION'), NOW).errorClass).toBe('window_closed');
  });

  it.each([
    'ERROR_CODE_INVALID_SENDER_ID',
    'ERROR_CODE_PHONE_NUMBER_BAD_FORMAT',
    'MESSAGE_PHONE_NUMBER_INVALID',
    'ERROR_CODE_TEMPLATE_NOT_FOUND',
    'ERROR_CODE_TEMPLATE_INPUT_INVALID',
    'ERROR_CODE_ATTACHMENT_URL_INVALID',
    'ERROR_CODE_TEXT_EMPTY',
  ])('%s is permanent', (code) => {
    expect(classifyConnectlyFailure(error(code), NOW)).toMatchObject({ errorClass: 'permanent', providerCode: code, optedOut: false });
  });

  it('CUSTOMER_OPTED_OUT is permanent and flags the recipient for suppression', () => {
    expect(classifyConnectlyFailure(error('ERROR_CODE_CUSTOMER_OPTED_OUT'), NOW)).toMatchObject({ errorClass: 'permanent', optedOut: true });
  });

  it('BUSINESS_REACHED_LIMITS is rate_limited and pauses the sender', () => {
    expect(classifyConnectlyFailure(error('ERROR_CODE_BUSINESS_REACHED_LIMITS'), NOW)).toMatchObject({ errorClass: 'rate_limited', pauseSender: true });
  });

  it('429 is rate_limited with Retry-After', () => {
    const err = classifyConnectlyFailure(error('ERROR_CODE_RATE_LIMIT_EXCEEDED', 429, 'ERROR_TYPE_RESOURCE_EXHAUSTED', { 'retry-after': '2' }), NOW);
    expect(err).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 2000, httpStatus_: 429 });
  });

  it('5xx is retryable, with or without a body', () => {
    expect(classifyConnectlyFailure(error('ERROR_CODE_INTERNAL', 500, 'ERROR_TYPE_INTERNAL'), NOW).errorClass).toBe('retryable');
    expect(classifyConnectlyFailure({ status: 503, headers: {}, body: 'Service Unavailable' }, NOW)).toMatchObject({
      errorClass: 'retryable',
      providerCode: 'HTTP_503',
    });
  });

  it('401 and 403 are auth', () => {
    expect(classifyConnectlyFailure(error('ERROR_CODE_UNAUTHENTICATED', 401), NOW).errorClass).toBe('auth');
    expect(classifyConnectlyFailure(error('ERROR_CODE_PERMISSION_DENIED', 403), NOW).errorClass).toBe('auth');
  });

  it('an unknown 4xx code is permanent, keeping code and message', () => {
    expect(classifyConnectlyFailure(error('ERROR_CODE_SOMETHING_NEW'), NOW)).toMatchObject({
      errorClass: 'permanent',
      providerCode: 'ERROR_CODE_SOMETHING_NEW',
      providerMessage: 'msg for ERROR_CODE_SOMETHING_NEW',
    });
  });
});
