import { errorField, pointerToField, summariseSchemaErrors } from '../../../src/api/field-path.js';
import { toErrorAnswer } from '../../../src/api/error-answer.js';
import { AppError } from '../../../src/errors/index.js';

describe('pointerToField', () => {
  test.each([
    ['', ''],
    ['/name', 'name'],
    ['/number_list/3/number', 'number_list[3].number'],
    ['/number_list/0/variables/first~1name', 'number_list[0].variables.first/name'],
    ['/a~0b/10', 'a~b[10]'],
  ])('%j → %j', (pointer, field) => {
    expect(pointerToField(pointer)).toBe(field);
  });
});

describe('errorField', () => {
  test('a missing property is named itself, for Ajv and TypeBox error shapes alike', () => {
    expect(errorField({ instancePath: '/number_list/2', keyword: 'required', params: { missingProperty: 'number' } })).toBe('number_list[2].number');
    expect(errorField({ instancePath: '', keyword: 'required', params: { requiredProperties: ['name', 'kind'] } })).toBe('name');
  });

  test('a prefix places errors of a sub-document', () => {
    expect(errorField({ instancePath: '/baseUrl', keyword: 'pattern', params: {} }, 'settings')).toBe('settings.baseUrl');
    expect(errorField({ instancePath: '', keyword: 'required', params: { requiredProperties: ['apiKey'] } }, 'credentials')).toBe('credentials.apiKey');
    expect(errorField({ instancePath: '', keyword: 'type', params: {} })).toBeUndefined();
  });
});

describe('summariseSchemaErrors', () => {
  test('an enum lists the allowed values', () => {
    expect(summariseSchemaErrors([{ instancePath: '/send_type', keyword: 'enum', params: { allowedValues: ['a', 'b'] }, message: 'x' }])).toEqual({
      field: 'send_type',
      message: 'send_type must be one of: a, b',
    });
  });

  test('a failed union is one sentence about the union', () => {
    const errors = [
      { instancePath: '/msg_param', keyword: 'type', params: { type: 'string' }, message: 'must be string' },
      { instancePath: '/msg_param', keyword: 'type', params: { type: 'object' }, message: 'must be object' },
      { instancePath: '/msg_param', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
    ];
    expect(summariseSchemaErrors(errors)).toEqual({ field: 'msg_param', message: 'msg_param must be string or object' });
  });

  test('the first problem is reported when there are several', () => {
    const errors = [
      { instancePath: '/limit', keyword: 'minimum', params: { limit: 1 }, message: 'must be >= 1' },
      { instancePath: '/x', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
    ];
    expect(summariseSchemaErrors(errors, { container: 'querystring' })).toEqual({ field: 'limit', message: 'limit must be >= 1' });
  });
});

describe('toErrorAnswer', () => {
  const ctx = { requestId: 'req-1', bodyLimit: 100 };

  test('AppErrors keep their code, status, field and details', () => {
    const answer = toErrorAnswer(new AppError('INVALID_PHONE_NUMBER', 'bad', { field: 'number_list[0].number' }), ctx);
    expect(answer).toEqual({ status: 400, unexpected: false, body: { error: { code: 'INVALID_PHONE_NUMBER', message: 'bad', field: 'number_list[0].number' } } });
  });

  test('Fastify body errors map to their codes', () => {
    expect(toErrorAnswer({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }, ctx).body.error.code).toBe('INVALID_JSON');
    expect(toErrorAnswer({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, ctx).status).toBe(415);
    expect(toErrorAnswer({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, ctx).body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 100 } });
  });

  test('anything else is INTERNAL and says nothing about itself', () => {
    const answer = toErrorAnswer(new Error('relation "campaigns" does not exist at /srv/app.js:12'), ctx);
    expect(answer.status).toBe(500);
    expect(answer.unexpected).toBe(true);
    expect(JSON.stringify(answer.body)).not.toContain('relation');
    expect(answer.body.error.details).toEqual({ request_id: 'req-1' });
  });
});
