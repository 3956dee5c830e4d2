/** One immediate text campaign per demo channel, with a per-recipient `{{name}}` variable. */
import type { ApiClient } from './api-client.js';
import type { DemoChannel } from './channels.js';
import { demoName } from './numbers.js';

export interface DemoCampaign {
  id: string;
  channel: DemoChannel;
  numbers: string[];
  /** When the demo asked for it, as a fallback if the API reports no launch time. */
  requestedAt: Date;
}

export const DEMO_CONTENT = 'Hi {{name}}, this is a campaign-dispatch demo message. Reply STOP to opt out.';

export function campaignBody(channel: DemoChannel, numbers: string[], stamp: string) {
  return {
    name: `Demo ${channel.label} ${stamp}`,
    channel_id: channel.id,
    recipient_type: 'input',
    number_list: numbers.map((number, i) => ({ number, variables: { name: demoName(i) } })),
    content_type: 'text',
    content: DEMO_CONTENT,
    send_type: 'immediately',
  };
}

export async function createDemoCampaign(api: ApiClient, channel: DemoChannel, numbers: string[], stamp: string): Promise<DemoCampaign> {
  const requestedAt = new Date();
  const created = await api.post<{ id: string; status: string; recipient_count: number }>('/v1/campaigns', campaignBody(channel, numbers, stamp));
  if (created.recipient_count !== numbers.length) {
    throw new Error(`campaign ${created.id} was created with ${created.recipient_count} recipients, expected ${numbers.length}`);
  }
  return { id: created.id, channel, numbers, requestedAt };
}
