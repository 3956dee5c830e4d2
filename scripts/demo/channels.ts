/** The two demo channels, each pointing at its in-process provider simulator. */
import type { ApiClient } from './api-client.js';

export type DemoProvider = 'yeastar' | 'connectly';

export interface DemoChannel {
  id: string;
  provider: DemoProvider;
  label: string;
}

/**
 * Channel bodies per `POST /v1/channels`. The credentials are the simulators' defaults. The rate is
 * set high because the demo measures the pipeline, not a provider's allowance.
 */
export function channelBodies(urls: { yeastar: string; connectly: string }, ratePerSecond: number) {
  return {
    yeastar: {
      name: 'Demo Yeastar SMS (simulator)',
      provider: 'yeastar',
      kind: 'sms',
      sender_id: '+14155550100',
      rate_per_second: ratePerSecond,
      // channelType 'twilio': an SMS trunk, as Yeastar's message API calls it.
      settings: { baseUrl: urls.yeastar, channelType: 'twilio' },
      credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
    },
    connectly: {
      name: 'Demo Connectly SMS (simulator)',
      provider: 'connectly',
      kind: 'sms',
      sender_id: '+14155550101',
      rate_per_second: ratePerSecond,
      settings: { businessId: 'sim-business', baseUrl: urls.connectly },
      credentials: { apiKey: 'sim-key' },
    },
  } as const;
}

export async function createDemoChannels(api: ApiClient, urls: { yeastar: string; connectly: string }, ratePerSecond: number): Promise<DemoChannel[]> {
  const bodies = channelBodies(urls, ratePerSecond);
  const channels: DemoChannel[] = [];
  for (const provider of ['yeastar', 'connectly'] as const) {
    const created = await api.post<{ id: string }>('/v1/channels', bodies[provider]);
    channels.push({ id: created.id, provider, label: provider === 'yeastar' ? 'Yeastar SMS' : 'Connectly SMS' });
  }
  return channels;
}
