/**
 * The `campaigns` and `queues` commands: thin commander wiring over the API client. Each action
 * reports through `io` and hands its exit code to `setExit`; errors are thrown and mapped to exit
 * codes in one place (run-program.ts).
 */
import { Command, Option } from 'commander';
import { CAMPAIGN_STATUSES } from '../campaigns/campaign-view.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { createCampaignFromCsv, type CreateOptions } from './create-campaign-flow.js';
import { EXIT_OK, UsageError } from './exit-codes.js';
import { followCampaign } from './follow.js';
import {
  campaignListLines,
  campaignShowLines,
  finalLine,
  progressLine,
  queueLines,
  type CampaignAnswer,
  type CampaignSummaryAnswer,
  type QueueHealthAnswer,
} from './format.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface ApiCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** CD_API_URL and CD_API_KEY are read from here when the options are not given. */
  env: Readonly<Record<string, string | undefined>>;
  /** A terminal to draw the progress bar on; without one, --follow prints plain lines. */
  tty?: NodeJS.WritableStream;
}

export interface ConnectionOptions {
  apiUrl?: string;
  apiKey?: string;
}

/** The two connection options, added to every command that talks to the API. */
export function withConnection(command: Command): Command {
  return command
    .option('--api-url <url>', `API base URL (env CD_API_URL; default ${DEFAULT_API_URL})`)
    .option('--api-key <key>', 'API key (env CD_API_KEY)');
}

/** The client for a command's options, falling back to the environment. */
export function clientFor(options: ConnectionOptions, io: ApiCommandIo): ApiClient {
  const apiKey = options.apiKey ?? io.env.CD_API_KEY;
  if (!apiKey) throw new UsageError('no API key: pass --api-key <key> or set CD_API_KEY');
  const baseUrl = options.apiUrl ?? io.env.CD_API_URL ?? DEFAULT_API_URL;
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) throw new UsageError(`--api-url must be an http(s) URL, got "${baseUrl}"`);
  return createApiClient({ baseUrl, apiKey });
}

const campaignPath = (id: string) => `/v1/campaigns/${encodeURIComponent(id)}`;

export function campaignsCommand(io: ApiCommandIo, setExit: (code: number) => void): Command {
  const campaigns = new Command('campaigns').description('create, follow and control campaigns through the API');
  const follow = (client: ApiClient, id: string) => followCampaign(client, id, { out: io.out, err: io.err, tty: io.tty });

  withConnection(
    campaigns
      .command('create')
      .description('create a campaign from a CSV of recipients (number column, other columns are variables) and launch it')
      .requiredOption('--channel <id>', 'channel id')
      .requiredOption('--csv <file>', 'CSV file of recipients')
      .requiredOption('--name <name>', 'campaign name')
      .option('--text <content>', 'text content ({{variable}} placeholders allowed)')
      .option('--template <file>', 'JSON file with the template msg_param')
      .option('--follow', 'show progress until the campaign ends; exit 0 only if it completed'),
  ).action(async (options: CreateOptions & ConnectionOptions & { follow?: boolean }) => {
    const client = clientFor(options, io);
    const id = await createCampaignFromCsv(client, options, io.out);
    setExit(options.follow ? await follow(client, id) : EXIT_OK);
  });

  withConnection(campaigns.command('follow <id>').description('show progress until the campaign ends; exit 0 only if it completed')).action(
    async (id: string, options: ConnectionOptions) => {
      setExit(await follow(clientFor(options, io), id));
    },
  );

  withConnection(
    campaigns
      .command('list')
      .description('list campaigns, newest first')
      .addOption(new Option('--status <status>', 'only campaigns in this status').choices(CAMPAIGN_STATUSES))
      .addOption(new Option('--limit <n>', 'how many (1-200)').default('50').argParser(parseLimit)),
  ).action(async (options: ConnectionOptions & { status?: string; limit: string }) => {
    const query = new URLSearchParams({ limit: options.limit, ...(options.status ? { status: options.status } : {}) });
    const page = await clientFor(options, io).get<{ items: CampaignSummaryAnswer[] }>(`/v1/campaigns?${query}`);
    campaignListLines(page.items).forEach((line) => io.out(line));
    setExit(EXIT_OK);
  });

  withConnection(campaigns.command('show <id>').description('a campaign in full: status, counts, rate, ETA')).action(
    async (id: string, options: ConnectionOptions) => {
      const campaign = await clientFor(options, io).get<CampaignAnswer>(campaignPath(id));
      campaignShowLines(campaign).forEach((line) => io.out(line));
      setExit(EXIT_OK);
    },
  );

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    withConnection(campaigns.command(`${action} <id>`).description(`${action} a campaign`)).action(async (id: string, options: ConnectionOptions) => {
      const client = clientFor(options, io);
      await client.post(`${campaignPath(id)}/${action}`);
      // The action's answer has the counts but not the rate: read the campaign for one full line.
      const campaign = await client.get<CampaignAnswer>(campaignPath(id));
      io.out(`${action}: campaign ${id} is ${campaign.status}`);
      io.out(action === 'cancel' ? finalLine(campaign) : progressLine(campaign));
      setExit(EXIT_OK);
    });
  }
  return campaigns;
}

export function parseLimit(value: string): string {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new UsageError(`--limit must be an integer from 1 to 200, got "${value}"`);
  return String(n);
}

export function queuesCommand(io: ApiCommandIo, setExit: (code: number) => void): Command {
  return withConnection(new Command('queues').description('queue health: jobs per state and the oldest waiting job, per queue')).action(
    async (options: ConnectionOptions) => {
      const answer = await clientFor(options, io).get<{ queues: QueueHealthAnswer[] }>('/v1/queues');
      queueLines(answer.queues).forEach((line) => io.out(line));
      setExit(EXIT_OK);
    },
  );
}
