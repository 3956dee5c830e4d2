/** The 24-hour customer-service window per recipient, opened by a recorded inbound message. */
import { DAY_MS } from './types.js';

export interface WindowBook {
  recordInbound(number: string, at?: Date): void;
  isOpen(number: string, now: number): boolean;
  reset(): void;
}

/** `alwaysOpen` treats every window as open (demo runs sending session messages to fresh numbers). */
export function createWindowBook(alwaysOpen = false): WindowBook {
  const lastInbound = new Map<string, number>();
  return {
    recordInbound(number, at = new Date()) {
      lastInbound.set(number, at.getTime());
    },
    isOpen(number, now) {
      if (alwaysOpen) return true;
      const at = lastInbound.get(number);
      return at !== undefined && now - at < DAY_MS && at <= now;
    },
    reset() {
      lastInbound.clear();
    },
  };
}
