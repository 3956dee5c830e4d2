/**
 * What a bench simulator keeps about the sends it accepted, compactly enough for a million: a count
 * per millisecond of arrival (for rates and the busiest sliding second) and, per campaign, the first
 * arrival and a count (for time-to-first-send and lateness). Campaigns are told apart by the
 * idempotency key our sender puts on every request: `cd-<campaignId>-<recipientId>[-t]`.
 */
export interface CampaignSends {
  firstAt: number;
  lastAt: number;
  count: number;
}

export interface SendLog {
  record(at: number, idempotencyKey: string): void;
  total(): number;
  campaigns(): Record<string, CampaignSends>;
  /** [ms, count] pairs in time order. */
  histogram(): [number, number][];
  clear(): void;
}

const UUID_LENGTH = 36;

export function campaignOfKey(key: string): string {
  return key.startsWith('cd-') ? key.slice(3, 3 + UUID_LENGTH) : '(no key)';
}

export function createSendLog(): SendLog {
  let perMs = new Map<number, number>();
  let perCampaign = new Map<string, CampaignSends>();
  let total = 0;
  return {
    record(at, key) {
      total++;
      perMs.set(at, (perMs.get(at) ?? 0) + 1);
      const id = campaignOfKey(key);
      const c = perCampaign.get(id);
      if (c) {
        c.count++;
        if (at > c.lastAt) c.lastAt = at;
      } else perCampaign.set(id, { firstAt: at, lastAt: at, count: 1 });
    },
    total: () => total,
    campaigns: () => Object.fromEntries(perCampaign),
    histogram: () => [...perMs.entries()].sort((a, b) => a[0] - b[0]),
    clear() {
      perMs = new Map();
      perCampaign = new Map();
      total = 0;
    },
  };
}
