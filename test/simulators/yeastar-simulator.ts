/**
 * A Yeastar P-Series OpenAPI simulator: get_token, refresh_token, message/send (new-session and
 * existing-session modes), message/batchupload and message_channel/whatsapp_template.
 *
 * Answers the PBX's way: HTTP 200 with `{errcode, errmsg}` for success and most failures. Choices
 * of ours where the docs are silent are marked UNVERIFIED.
 */
import busboy from 'busboy';
import { createControlRoutes } from './control-routes.js';
import { createFaultScript } from './fault-script.js';
import { startSimServer, type SimRequest } from './http-server.js';
import { hexId } from './ids.js';
import { createRecorder } from './recorder.js';
import { HANG, type SimAnswer, type SimOutcome, type SimulatorHandle } from './types.js';
import { createWindowBook } from './windows.js';
import { DEFAULT_YEASTAR_TEMPLATES, searchTemplates, type YeastarSimTemplate } from './yeastar-templates.js';
import { createTokenBook, MAX_LIVE_TOKENS } from './yeastar-tokens.js';
import { validateYeastarSend } from './yeastar-validation.js';
import { createWebhookSender, type SimulatorWebhooks, type WebhookDelivery, type WebhookDeliveryMode } from './webhook-sender.js';
import { yeastarInboundEvent, yeastarSendingResult, type YeastarReceiptFailure } from './yeastar-events.js';

export interface YeastarSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /** `channel` values that enforce the 24-hour window. */
  windowKinds?: string[];
  /** Treat every recipient's window as open (demo runs). */
  windowsOpen?: boolean;
  templates?: YeastarSimTemplate[];
  /** Where to post signed event reports (30031 inbound, 30032 sending result); none when unset. */
  webhookUrl?: string;
  /** The secret the reports are signed with (X-Signature); unsigned when unset. */
  webhookSecret?: string;
  /** After an accepted send: 'sent' posts 30032 delivery_status 1 (or 2, see failReceipt). Default 'none'. */
  receipts?: 'none' | 'sent';
  /** 'manual' holds receipts until flushWebhooks() (default 'auto': in the background at once). */
  webhookDelivery?: WebhookDeliveryMode;
  /** Auto mode: receipts go out this long after the send answer (default 0; the demo uses a delay). */
  receiptDelayMs?: number;
  /** Called for each webhook our API did not answer 200 (main.ts prints them). */
  onWebhookFailure?: (delivery: WebhookDelivery) => void;
  /** The PBX serial number in event reports. */
  sn?: string;
}

export interface YeastarSimulator extends SimulatorHandle, SimulatorWebhooks {
  /** Sends to `to` are accepted, but their 30032 report says delivery_status 2 with this error. */
  failReceipt(to: string, failure: YeastarReceiptFailure): void;
  clientId: string;
  clientSecret: string;
  /** Access tokens currently valid. */
  liveTokens(): number;
  /** The most access tokens that were valid at the same time. */
  peakLiveTokens(): number;
  /** Expires every access token now (refresh tokens stay valid). */
  expireTokens(): void;
}

export const YEASTAR_API_PATH = '/openapi/v1.0';
const ok = (extra: Record<string, unknown> = {}): SimAnswer => ({ status: 200, body: { errcode: 0, errmsg: 'SUCCESS', ...extra } });
const fail = (errcode: number, errmsg: string, extra: Record<string, unknown> = {}): SimAnswer => ({
  status: 200,
  body: { errcode, errmsg, ...extra },
});
const TOKEN_EXPIRED = fail(10004, 'TOKEN EXPIRED');

/** Starts a Yeastar simulator; `url` ends with /openapi/v1.0 (a channel's `settings.baseUrl`). */
export async function startYeastarSimulator(options: YeastarSimulatorOptions = {}): Promise<YeastarSimulator> {
  const clientId = options.clientId ?? 'sim-client';
  const clientSecret = options.clientSecret ?? 'sim-secret';
  const windowKinds = new Set(options.windowKinds ?? ['whatsapp', 'facebook']);
  const templates = options.templates ?? [...DEFAULT_YEASTAR_TEMPLATES];
  const tokens = createTokenBook({ access: options.tokenTtlSeconds ?? 1800, refresh: options.refreshTtlSeconds ?? 86_400 });
  const recorder = createRecorder();
  const windows = createWindowBook(options.windowsOpen);
  const faults = createFaultScript({
    defaultBody: (status) => (status === 429 ? { errcode: -1, errmsg: 'TOO MANY REQUESTS' } : { errcode: -1, errmsg: 'FAILURE' }),
    defaultNumberStatus: 200,
  });
  const webhooks = createWebhookSender({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    header: 'X-Signature',
    mode: options.webhookDelivery,
    delayMs: options.receiptDelayMs,
    onFailure: options.onWebhookFailure,
  });
  const receiptFailures = new Map<string, YeastarReceiptFailure>();
  const sn = options.sn ?? 'SIM0000000001';
  const sessions = new Map<string, number>(); // `${did}|${to}` → session id
  const sessionIds = new Set<number>();
  let nextSession = 3000;
  let nextMsg = 10_000;

  function sessionFor(did: string, to: string): number {
    const key = `${did}|${to}`;
    let id = sessions.get(key);
    if (id === undefined) {
      id = nextSession++;
      sessions.set(key, id);
      sessionIds.add(id);
    }
    return id;
  }

  /** The session an inbound message from `number` lands in: the last one opened with them, or a new one. */
  function sessionOf(number: string): number {
    let found: number | undefined;
    for (const [key, id] of sessions) if (key.endsWith(`|${number}`)) found = id;
    return found ?? sessionFor('inbound', number);
  }

  function send(req: SimRequest, now: number): SimOutcome {
    if (faults.takeHang()) return HANG;
    const scripted = faults.takeFailure();
    if (scripted) return scripted;
    if (!tokens.isValid(req.query.access_token, now)) return TOKEN_EXPIRED;
    const problem = validateYeastarSend(req.body, (id) => sessionIds.has(id));
    if (problem) return fail(40002, 'PARAMETER ERROR', { invalid_param_list: [problem] });
    const body = req.body as Record<string, unknown>;
    const key = typeof body.request_id === 'string' ? body.request_id : undefined;
    // Our assumption (UNVERIFIED): the PBX answers a repeated request_id with the original answer
    // instead of sending the message again.
    const replay = recorder.replay(key);
    if (replay) return replay;
    const to = typeof body.to === 'string' ? body.to : '';
    const forced = faults.forNumber(to);
    if (forced) return forced;
    const channel = body.channel as string | undefined;
    const template = body.msg_kind === 1;
    const tagged = channel === 'facebook' && typeof body.tag === 'string';
    if (channel && windowKinds.has(channel) && !template && !tagged && !windows.isOpen(to, now)) {
      // UNVERIFIED: the synchronous answer for a closed window. We reuse event 30032's send_error.
      return fail(-1, 'FAILURE', { send_error: 'exceeds_time_limit', send_error_msg: 'outside the 24-hour messaging window' });
    }
    const sessionId = typeof body.session_id === 'number' ? body.session_id : sessionFor(String(body.did_number), to);
    const answer = ok({ msg_id: nextMsg++, session_id: sessionId });
    const messageId = String((answer.body as { msg_id: number }).msg_id);
    recorder.accept({ at: now, to, idempotencyKey: key ?? '', messageId, kind: template ? 'template' : 'session', body }, answer);
    if (options.receipts === 'sent') {
      webhooks.enqueue([yeastarSendingResult(sn, { msgId: Number(messageId), sessionId, body, now, failure: receiptFailures.get(to) })]);
    }
    return answer;
  }

  async function upload(req: SimRequest, now: number): Promise<SimAnswer> {
    if (!tokens.isValid(req.query.access_token, now)) return TOKEN_EXPIRED;
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      return fail(40002, 'PARAMETER ERROR', { invalid_param_list: [{ field: 'files', validation_type: 'required' }] });
    }
    const files = await readFiles(req);
    req.recordBody = { files: files.map(({ name, type, size }) => ({ name, type, size })) };
    if (files.length === 0) return fail(40002, 'PARAMETER ERROR', { invalid_param_list: [{ field: 'files', validation_type: 'required' }] });
    const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
    return ok({ list: files.map((f) => ({ id: f.id, name: f.name, uri: `${day}/${f.id}`, type: f.type, size: f.size })) });
  }

  async function handle(req: SimRequest): Promise<SimOutcome> {
    const now = Date.now();
    if (!req.headers['user-agent']) {
      // Every request needs a User-Agent (documented); the PBX's exact answer is UNVERIFIED.
      return fail(40002, 'PARAMETER ERROR', { invalid_param_list: [{ field: 'User-Agent', validation_type: 'required' }] });
    }
    const route = req.path.startsWith(YEASTAR_API_PATH) ? `${req.method} ${req.path.slice(YEASTAR_API_PATH.length)}` : '';
    switch (route) {
      case 'POST /message/send':
        return send(req, now);
      case 'POST /get_token': {
        const b = req.body as Record<string, unknown> | undefined;
        if (b?.username !== clientId || b?.password !== clientSecret) return fail(-1, 'FAILURE');
        const pair = tokens.issue(now);
        // UNVERIFIED: the errmsg when the app already holds 8 live tokens.
        return pair ? ok({ ...pair }) : fail(-1, `FAILURE: ${MAX_LIVE_TOKENS} ACCESS TOKENS ALREADY VALID`);
      }
      case 'POST /refresh_token': {
        const b = req.body as Record<string, unknown> | undefined;
        const pair = typeof b?.refresh_token === 'string' ? tokens.refresh(b.refresh_token, now) : undefined;
        return pair ? ok({ ...pair }) : fail(-1, 'FAILURE');
      }
      case 'POST /message/batchupload':
        return upload(req, now);
      case 'GET /message_channel/whatsapp_template':
        if (!tokens.isValid(req.query.access_token, now)) return TOKEN_EXPIRED;
        return ok(searchTemplates(templates, req.query));
      default:
        return { status: 404, body: { errcode: 404, errmsg: 'NOT FOUND' } };
    }
  }

  let nextInbound = 50_000;
  const handleApi = {
    recordInbound: (number: string, at?: Date) => windows.recordInbound(number, at),
    sendInbound(number: string, text: string, at = new Date()) {
      windows.recordInbound(number, at);
      return webhooks.deliver(yeastarInboundEvent(sn, { msgId: nextInbound++, sessionId: sessionOf(number), from: number, text, at }));
    },
    reset() {
      recorder.reset();
      faults.api.clear();
      windows.reset();
      webhooks.reset();
      receiptFailures.clear();
    },
  };
  const server = await startSimServer({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    recorder,
    faults,
    handle,
    control: createControlRoutes({
      ...handleApi,
      stats: () => ({
        requests: recorder.requests.length,
        accepted: recorder.accepted.length,
        duplicates: recorder.duplicates(),
        liveTokens: tokens.live(Date.now()),
        peakLiveTokens: tokens.peak(),
      }),
    }),
  });

  return {
    url: `http://${server.host}:${server.port}${YEASTAR_API_PATH}`,
    clientId,
    clientSecret,
    requests: recorder.requests,
    acceptedSends: () => recorder.accepted,
    duplicateSends: () => recorder.duplicates(),
    faults: faults.api,
    ...handleApi,
    liveTokens: () => tokens.live(Date.now()),
    peakLiveTokens: () => tokens.peak(),
    expireTokens: () => tokens.expireAll(),
    failReceipt: (to, failure) => void receiptFailures.set(to, failure),
    sendRawWebhook: (body, raw) => webhooks.deliver(body, raw),
    pendingWebhooks: () => webhooks.pending(),
    flushWebhooks: () => webhooks.flush(),
    webhookDeliveries: () => webhooks.deliveries(),
    async close() {
      await webhooks.close();
      await server.close();
    },
  };
}

interface UploadedFile {
  id: string;
  name: string;
  type: string;
  size: number;
}

/** Reads the multipart field `files` (any number of parts) from the buffered body. */
function readFiles(req: SimRequest): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    const files: UploadedFile[] = [];
    const parser = busboy({ headers: req.headers, limits: { fileSize: 100 * 1024 * 1024 } });
    parser.on('file', (field, stream, info) => {
      if (field !== 'files') {
        stream.resume();
        return;
      }
      const raw = info.filename ?? 'file';
      const file: UploadedFile = { id: hexId(), name: raw.split(/[\\/]/).pop() || raw, type: info.mimeType, size: 0 };
      files.push(file);
      stream.on('data', (chunk: Buffer) => (file.size += chunk.length));
    });
    parser.on('close', () => resolve(files));
    parser.on('error', reject);
    parser.end(req.rawBody);
  });
}
