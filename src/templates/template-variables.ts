/**
 * Every recipient of a template campaign must carry a value for each of the template's variables
 * (template-message.ts says which), checked before anything is written: a recipient without one
 * would get a message showing "{{offertype}}", or be refused by Meta (error 132000) at send time.
 *
 * An empty value counts as missing: Meta refuses empty template parameters.
 * Inline recipients are checked here, purely, so the error can name `number_list[i]`; phonebook
 * recipients are checked in SQL once they are in the ledger (`firstRecipientMissing`).
 */
import type pg from 'pg';
import { AppError } from '../errors/index.js';

/** A field path segment for a variable name (`variables.name`, or `variables["odd name"]`). */
function variablePath(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function hasValue(variables: Readonly<Record<string, unknown>> | null | undefined, name: string): boolean {
  if (!variables || !Object.prototype.hasOwnProperty.call(variables, name)) return false;
  const value = variables[name];
  return value !== null && value !== undefined && String(value).trim() !== '';
}

/**
 * @throws AppError TEMPLATE_VARIABLES_MISSING, field `number_list[i].variables.<name>` for the first
 *   recipient lacking one (details list all of that recipient's missing names).
 */
export function checkInlineVariables(
  required: readonly string[],
  numberList: readonly { number: string; variables?: Readonly<Record<string, unknown>> }[],
): void {
  if (required.length === 0) return;
  numberList.forEach((entry, i) => {
    const missing = required.filter((name) => !hasValue(entry.variables, name));
    if (missing.length === 0) return;
    throw new AppError(
      'TEMPLATE_VARIABLES_MISSING',
      `number_list[${i}] (${entry.number}) has no value for the template variable(s) ${missing.join(', ')}`,
      { field: `number_list[${i}].variables${variablePath(missing[0]!)}`, details: { index: i, missing, required: [...required] } },
    );
  });
}

const FIRST_MISSING_SQL = `
SELECT number, (SELECT array_agg(name) FROM unnest($2::text[]) AS name
                 WHERE coalesce(btrim(variables->>name), '') = '') AS missing
  FROM campaign_recipients
 WHERE campaign_id = $1
   AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS name WHERE coalesce(btrim(variables->>name), '') = '')
 LIMIT 1`;

/**
 * For recipients already in the ledger (phonebook campaigns, inside the creating transaction).
 * @throws AppError TEMPLATE_VARIABLES_MISSING, field `recipient_id`, naming the first such number.
 */
export async function checkLedgerVariables(client: pg.PoolClient, campaignId: string, required: readonly string[]): Promise<void> {
  if (required.length === 0) return;
  const { rows } = await client.query<{ number: string; missing: string[] }>(FIRST_MISSING_SQL, [campaignId, required]);
  const row = rows[0];
  if (!row) return;
  throw new AppError(
    'TEMPLATE_VARIABLES_MISSING',
    `the phonebook's contact ${row.number} has no value for the template variable(s) ${row.missing.join(', ')}`,
    { field: 'recipient_id', details: { number: row.number, missing: row.missing, required: [...required] } },
  );
}
