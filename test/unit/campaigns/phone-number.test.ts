import { normaliseInlineRecipients } from '../../../src/campaigns/inline-recipients.js';
import { normalisePhoneNumber } from '../../../src/campaigns/phone-number.js';
import { isAppError } from '../../../src/errors/index.js';

describe('normalisePhoneNumber', () => {
  test.each([
    ['+8613800001111', '+8613800001111'],
    ['+86 138 0000 1111', '+8613800001111'],
    ['0086-138-0000-1111', '+8613800001111'],
    ['+1 (202) 555-0101', '+12025550101'],
    ['+1.202.555.0101', '+12025550101'],
    [' +44 20 7946 0958 ', '+442079460958'],
    ['+49\u00a01512 3456789', '+4915123456789'],
  ])('%s → %s', (raw, e164) => {
    expect(normalisePhoneNumber(raw)).toEqual({ ok: true, e164 });
  });

  test.each([
    ['', 'empty'],
    [' - ', 'empty'],
    ['2025550101', 'no_country_code'],
    ['(202) 555-0101', 'no_country_code'],
    ['+1 555 555 5555', 'invalid'],
    ['+123', 'invalid'],
    ['+1 800 FLOWERS', 'invalid'],
    ['+1 202 555 01011', 'invalid'],
  ])('%j is refused as %s', (raw, reason) => {
    expect(normalisePhoneNumber(raw)).toEqual({ ok: false, reason });
  });
});

describe('normaliseInlineRecipients', () => {
  test('de-duplicates after normalising, keeping the first occurrence and its variables', () => {
    const result = normaliseInlineRecipients(
      [
        { number: '+1 202 555 0101', variables: { name: 'first' } },
        { number: '+12025550101', variables: { name: 'second' } },
        { number: '0012025550101' },
        { number: '+8613800001111', variables: {} },
      ],
      10,
    );
    expect(result).toEqual({
      rows: [
        { number: '+12025550101', variables: { name: 'first' } },
        { number: '+8613800001111', variables: null },
      ],
      duplicatesRemoved: 2,
    });
  });

  test.each([
    [[], 10, 'NO_RECIPIENTS', 'number_list'],
    [undefined, 10, 'NO_RECIPIENTS', 'number_list'],
    [[{ number: '+8613800001111' }, { number: '+8613800002222' }], 1, 'TOO_MANY_RECIPIENTS', 'number_list'],
    [[{ number: '+8613800001111' }, { number: '12' }], 10, 'INVALID_PHONE_NUMBER', 'number_list[1].number'],
  ] as const)('%j (cap %d) → %s on %s', (list, cap, code, field) => {
    try {
      normaliseInlineRecipients(list as never, cap);
      throw new Error('expected a failure');
    } catch (err) {
      expect(isAppError(err) && { code: err.code, field: err.field }).toEqual({ code, field });
    }
  });
});
