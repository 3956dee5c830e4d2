/**
 * Helpers for the upload tests: campaigns inserted straight into the table (any status), CSV
 * bodies built from rows, and the ledger read back.
 */
import type { TestDatabase } from '../../helpers/database.js';
import type { ApiHarness } from '../api/api-harness.js';

export async function insertCampaign(db: TestDatabase, channelId: string, status: 'draft' | 'scheduled' | 'running' | 'completed' = 'draft'): Promise<string> {
  const row = await db.prisma.campaign.create({
    data: { channelId, name: `upload ${status}`, recipientType: 'input', contentType: 'text', content: 'hi', sendType: 'draft', status },
  });
  return row.id;
}

/** Distinct valid numbers: Chinese mobiles +86 138 0000 0000 onwards. */
export function chineseMobile(i: number): string {
  return `+86138${String(i).padStart(8, '0')}`;
}

export function uploadCsv(h: ApiHarness, campaignId: string, body: string | Buffer, query = '', contentType = 'text/csv') {
  return h.request({ method: 'POST', url: `/v1/campaigns/${campaignId}/recipients${query}`, headers: { 'content-type': contentType }, payload: body });
}

export async function ledger(db: TestDatabase, campaignId: string): Promise<{ number: string; variables: unknown }[]> {
  const rows = await db.prisma.recipient.findMany({ where: { campaignId }, orderBy: { id: 'asc' }, select: { number: true, variables: true } });
  return rows;
}
