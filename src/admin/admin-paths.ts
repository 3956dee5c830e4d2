/**
 * Where the dashboard lives, and which buttons it offers for which campaign status. The job board
 * (bull-board) has /admin/queues; the rest of /admin is ours.
 */
import { TRANSITIONS } from '../campaigns/status-machine.js';

export const ADMIN_PREFIX = '/admin';
/** The browser script and the stylesheet. */
export const ADMIN_ASSET_PREFIX = '/admin/assets';
/** The read-only JSON the page refreshes from: GET routes of /v1, answered with the caller's key. */
export const ADMIN_API_PREFIX = '/admin/api';
/** Route options of every /admin route: pages, not API, so left out of the OpenAPI description (like the job board). */
export const HIDDEN = { schema: { hide: true } } as const;
/** The buttons, as the page POSTs them to /admin/campaigns/:id/<action>. */
export const ADMIN_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/**
 * For each button, the campaign statuses it is shown in — read off the status machine, so the page
 * never offers what the server would refuse. The page gets this map in a data attribute.
 */
export const ACTION_FROM: Readonly<Record<AdminAction, readonly string[]>> = Object.fromEntries(
  ADMIN_ACTIONS.map((action) => [action, Object.entries(TRANSITIONS).filter(([, t]) => t[action] !== undefined).map(([from]) => from)]),
) as Record<AdminAction, string[]>;
