/**
 * Phone numbers for the demo: +1 <area> 555 xxxx in San Francisco Bay Area and New York area
 * codes. The 555 exchange keeps them clearly fictional; libphonenumber-js accepts them as valid
 * NANP numbers, as the API requires.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const AREA_CODES = ['415', '628', '650', '510', '408', '212', '646', '718', '917', '347'];
const PER_AREA_CODE = 10_000;

/** How many distinct numbers `demoNumbers` can produce. */
export const DEMO_NUMBER_CAPACITY = AREA_CODES.length * PER_AREA_CODE;

/** `count` distinct E.164 numbers, the same ones on every call. */
export function demoNumbers(count: number): string[] {
  if (count > DEMO_NUMBER_CAPACITY) throw new RangeError(`at most ${DEMO_NUMBER_CAPACITY} demo numbers`);
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const area = AREA_CODES[Math.floor(i / PER_AREA_CODE)];
    const line = String(i % PER_AREA_CODE).padStart(4, '0');
    const number = `+1${area}555${line}`;
    // Checked here so a bad number shows up as a demo bug, not as a puzzling API rejection.
    if (!parsePhoneNumberFromString(number)?.isValid()) throw new Error(`demo number ${number} is not valid`);
    numbers.push(number);
  }
  return numbers;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Tim'];

/** A first name for the i-th recipient: the per-recipient value of the `{{name}}` variable. */
export function demoName(i: number): string {
  return FIRST_NAMES[i % FIRST_NAMES.length] as string;
}
