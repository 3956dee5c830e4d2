/**
 * `campaigns create`: a campaign from a CSV file in three API calls —
 *
 * 1. POST /v1/campaigns as a draft, with the file's first valid row as its one inline recipient
 *    (the API refuses a campaign without recipients; see csv-seed.ts);
 * 2. POST /v1/campaigns/:id/recipients with the whole file, streamed from disk as text/csv — the
 *    seed row comes back as one duplicate, which the summary leaves out;
 * 3. POST /v1/campaigns/:id/launch.
 *
 * If the upload or the launch fails, the draft is cancelled (best effort) so no half-made
 * campaign is left behind, and the error is reported.
 */
import { readFile } from 'node:fs/promises';
import type { ApiClient } from './api-client.js';
import { UsageError } from './exit-codes.js';
import { readSeedRecipient } from './csv-seed.js';

export interface CreateOptions {
  channel: string;
  csv: string;
  name: string;
  text?: string;
  /** Path of a JSON file holding the template's msg_param. */
  template?: string;
}

interface Created {
  id: string;
  status: string;
}
interface Uploaded {
  accepted: number;
  rejected: number;
  duplicates: number;
  rejections: { line: number; reason: string; column?: string; value?: string }[];
  recipient_count: number;
}

/** At most this many refused rows are printed (the API lists up to 1,000). */
const SHOWN_REJECTIONS = 5;

async function contentOf(options: CreateOptions): Promise<Record<string, unknown>> {
  if ((options.text === undefined) === (options.template === undefined)) {
    throw new UsageError('give exactly one of --text <content> and --template <msg_param json file>');
  }
  if (options.text !== undefined) return { content_type: 'text', content: options.text };
  let raw: string;
  try {
    raw = await readFile(options.template!, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --template ${options.template}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return { content_type: 'template', msg_param: JSON.parse(raw) as unknown };
  } catch (err) {
    throw new UsageError(`--template ${options.template} is not JSON: ${(err as Error).message}`);
  }
}

/** Creates, fills and launches the campaign; returns its id. Prints one line per step. */
export async function createCampaignFromCsv(client: ApiClient, options: CreateOptions, out: (line: string) => void): Promise<string> {
  const content = await contentOf(options);
  const seed = await readSeedRecipient(options.csv);
  const created = await client.post<Created>('/v1/campaigns', {
    name: options.name,
    channel_id: options.channel,
    recipient_type: 'input',
    number_list: [seed],
    ...content,
    send_type: 'draft',
  });
  out(`created campaign ${created.id} (draft)`);
  const path = `/v1/campaigns/${encodeURIComponent(created.id)}`;
  try {
    const uploaded = await client.postCsvFile<Uploaded>(`${path}/recipients`, options.csv);
    // The seed row is in the file too: the upload reports it as a duplicate of the draft's recipient.
    const duplicates = Math.max(0, uploaded.duplicates - 1);
    out(`uploaded ${options.csv}: ${uploaded.recipient_count} recipients (${uploaded.rejected} rows rejected, ${duplicates} duplicates)`);
    for (const r of uploaded.rejections.filter((r) => !r.reason.startsWith('duplicate')).slice(0, SHOWN_REJECTIONS)) {
      out(`  line ${r.line}: ${r.reason}${r.value !== undefined ? ` (${r.value})` : ''}`);
    }
    const launched = await client.post<{ status: string }>(`${path}/launch`);
    out(`launched campaign ${created.id} (${launched.status})`);
  } catch (err) {
    await client.post(`${path}/cancel`).catch(() => undefined);
    out(`cancelled draft ${created.id}: it could not be filled and launched`);
    throw err;
  }
  return created.id;
}
