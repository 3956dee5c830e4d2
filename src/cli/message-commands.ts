/**
 * `send` (one message to one recipient, POST /v1/messages) and `messages list|show`. Content comes
 * from exactly one of --text, --file (a File_Info JSON), --template (a msg_param JSON file: the
 * content, or with --text/--message the fallback when the window is closed) and --message (a rich
 * message JSON file). With --wait, `send` follows the message until it settles and exits 0 only if
 * it was sent.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { MESSAGE_TAGS } from '../campaigns/lifecycle/campaign-settings.js';
import { clientFor, parseLimit, withConnection, type ApiCommandIo, type ConnectionOptions } from './campaign-commands.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './exit-codes.js';
import { DELIVERED_MESSAGE_STATUSES, messageListLines, messageOutcomeLine, messageShowLines, SETTLED_MESSAGE_STATUSES, type MessageAnswer } from './message-format.js';

/** How long --wait follows a message, and how often it asks. */
const WAIT_LIMIT_MS = 120_000;
const WAIT_POLL_MS = 250;

interface SendOptions extends ConnectionOptions {
  channel: string;
  to?: string;
  sessionId?: string;
  text?: string;
  file?: string;
  template?: string;
  message?: string;
  var: string[];
  tag?: string;
  requestId?: string;
  wait?: boolean;
}

function readJson(path: string, option: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${option} ${path}: ${(err as Error).message}`);
  }
}

/** The POST /v1/messages body for the options (see module comment for the content rules). */
export function messageBody(o: SendOptions): Record<string, unknown> {
  const main = [o.text !== undefined, o.file !== undefined, o.message !== undefined].filter(Boolean).length;
  if (main > 1) throw new UsageError('give one of --text, --file and --message');
  if (main === 0 && o.template === undefined) throw new UsageError('give the content: --text, --file, --template or --message');
  const variables = Object.fromEntries(
    o.var.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--var takes name=value, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const content =
    o.text !== undefined
      ? { content_type: 'text', content: o.text }
      : o.file !== undefined
        ? { content_type: 'document', content: readJson(o.file, '--file') }
        : o.message !== undefined
          ? { content_type: 'interactive', message: readJson(o.message, '--message') }
          : { content_type: 'template' };
  return {
    channel_id: o.channel,
    ...(o.to !== undefined ? { to: o.to } : {}),
    ...(o.sessionId !== undefined ? { session_id: o.sessionId } : {}),
    ...content,
    ...(o.template !== undefined ? { msg_param: readJson(o.template, '--template') } : {}),
    ...(o.var.length > 0 ? { variables } : {}),
    ...(o.tag !== undefined ? { tag: o.tag } : {}),
    ...(o.requestId !== undefined ? { request_id: o.requestId } : {}),
  };
}

export function sendCommand(io: ApiCommandIo, setExit: (code: number) => void): Command {
  return withConnection(
    new Command('send')
      .description('send one message to one recipient (a reply, a confirmation, a template to open a session)')
      .requiredOption('--channel <id>', 'channel id')
      .option('--to <number>', 'recipient number with its country code')
      .option('--session-id <id>', 'Yeastar: send in this existing session (then --to is optional)')
      .option('--text <text>', 'text content ({{variable}} placeholders allowed)')
      .option('--file <file>', 'JSON file with one File_Info (document)')
      .option('--template <file>', 'JSON file with a template msg_param: the content, or the fallback outside the 24-hour window')
      .option('--message <file>', 'JSON file with a rich message ({"kind":"list", …})')
      .option('--var <name=value>', 'a variable for the placeholders (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
      .addOption(new Option('--tag <tag>', 'Messenger message tag').choices([...MESSAGE_TAGS]))
      .option('--request-id <id>', 'your id for the request: sending it again answers the original message')
      .option('--wait', 'follow the message until it settles; exit 0 only if it was sent'),
  ).action(async (options: SendOptions) => {
    const client = clientFor(options, io);
    const accepted = await client.post<{ id: string; status: string; replayed: boolean }>('/v1/messages', messageBody(options));
    io.out(`message ${accepted.id} ${accepted.status}${accepted.replayed ? ' (request_id seen before: the original message)' : ''}`);
    if (!options.wait) return setExit(EXIT_OK);
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const m = await client.get<MessageAnswer>(`/v1/messages/${encodeURIComponent(accepted.id)}`);
      if (SETTLED_MESSAGE_STATUSES.includes(m.status) || Date.now() > deadline) {
        io.out(messageOutcomeLine(m));
        return setExit(DELIVERED_MESSAGE_STATUSES.includes(m.status) ? EXIT_OK : EXIT_FAILURE);
      }
      await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
    }
  });
}

export function messagesCommand(io: ApiCommandIo, setExit: (code: number) => void): Command {
  const messages = new Command('messages').description('list and show one-off messages');
  withConnection(
    messages
      .command('list')
      .description('list one-off messages, newest first')
      .option('--channel <id>', 'only this channel’s')
      .addOption(new Option('--limit <n>', 'how many (1-200)').default('50').argParser(parseLimit)),
  ).action(async (options: ConnectionOptions & { channel?: string; limit: string }) => {
    const query = new URLSearchParams({ limit: options.limit, ...(options.channel ? { channel_id: options.channel } : {}) });
    const page = await clientFor(options, io).get<{ items: MessageAnswer[] }>(`/v1/messages?${query}`);
    messageListLines(page.items).forEach((line) => io.out(line));
    setExit(EXIT_OK);
  });
  withConnection(messages.command('show <id>').description('a message in full: status, content sent and why, receipts')).action(
    async (id: string, options: ConnectionOptions) => {
      const m = await clientFor(options, io).get<MessageAnswer>(`/v1/messages/${encodeURIComponent(id)}`);
      messageShowLines(m).forEach((line) => io.out(line));
      setExit(EXIT_OK);
    },
  );
  return messages;
}
