/** The simulators' own endpoints that the clients do not exercise: upload, template lookup, limits, control. */
import { got } from 'got';
import { loadSeed } from '../../fixtures/seeds/load.js';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';

let yeastar: YeastarSimulator;
let connectly: ConnectlySimulator;
const http = got.extend({ retry: { limit: 0 }, throwHttpErrors: false, headers: { 'user-agent': 'sim-test' }, responseType: 'json' });

async function token(): Promise<string> {
  const { body } = await http.post<{ access_token: string }>(`${yeastar.url}/get_token`, {
    json: { username: yeastar.clientId, password: yeastar.clientSecret },
  });
  return body.access_token;
}

beforeAll(async () => {
  [yeastar, connectly] = await Promise.all([startYeastarSimulator({ tokenTtlSeconds: 60 }), startConnectlySimulator()]);
});
afterAll(async () => {
  await Promise.all([yeastar.close(), connectly.close()]);
});

describe('yeastar simulator', () => {
  it('uploads multipart files as File_Info', async () => {
    const form = new FormData();
    form.append('files', new Blob([Buffer.alloc(1234)], { type: 'image/jpeg' }), 'demo.jpeg');
    const { body } = await http.post<{ errcode: number; list: unknown[] }>(`${yeastar.url}/message/batchupload?access_token=${await token()}`, { body: form });
    expect(body.errcode).toBe(0);
    expect(body.list).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'demo.jpeg', uri: expect.stringMatching(/^\d{8}\/[0-9a-f]{32}$/), type: 'image/jpeg', size: 1234 },
    ]);
  });

  it("answers seed 000's template lookup with seed 000's template", async () => {
    const { body } = await http.get(`${yeastar.url}/message_channel/whatsapp_template?omnichannel_id=1&search_value=discount&access_token=${await token()}`);
    const seed = loadSeed('yeastar-template-list-response');
    expect(body).toEqual(seed);
  });

  it('names the missing field of a message/send', async () => {
    const { body } = await http.post(`${yeastar.url}/message/send?access_token=${await token()}`, {
      json: { sender_type: 9, channel: 'general', did_number: '+15550100', msg_body: 'x' },
    });
    expect(body).toEqual({ errcode: 40002, errmsg: 'PARAMETER ERROR', invalid_param_list: [{ field: 'to', validation_type: 'required' }] });
  });

  it('answers TOKEN EXPIRED for a missing or expired token', async () => {
    const { body } = await http.post(`${yeastar.url}/message/send?access_token=nope`, { json: {} });
    expect(body).toEqual({ errcode: 10004, errmsg: 'TOKEN EXPIRED' });
  });

  it('never holds more than 8 live tokens', async () => {
    yeastar.expireTokens();
    const answers = [];
    for (let i = 0; i < 9; i++) {
      answers.push((await http.post<{ errcode: number }>(`${yeastar.url}/get_token`, { json: { username: yeastar.clientId, password: yeastar.clientSecret } })).body);
    }
    expect(answers.filter((a) => a.errcode === 0)).toHaveLength(8);
    expect(yeastar.liveTokens()).toBe(8);
    yeastar.expireTokens();
  });

  it('opens windows through the control route', async () => {
    const { body } = await http.post(`${yeastar.url.replace('/openapi/v1.0', '')}/__sim/inbound`, { json: { number: '+15550777' } });
    expect(body).toEqual({ ok: true, opened: 1 });
    const stats = await http.get<{ liveTokens: number }>(`${yeastar.url.replace('/openapi/v1.0', '')}/__sim/stats`);
    expect(stats.body).toHaveProperty('liveTokens');
  });
});

describe('connectly simulator', () => {
  const path = (): string => `${connectly.url}/v1/businesses/${connectly.businessId}/send/messages`;

  it('rejects a message with two content kinds and one with none', async () => {
    const base = { sender: { id: '+14151111234', channelType: 'sms' }, recipient: { id: '+16044441111', channelType: 'sms' } };
    const two = await http.post<{ code: string }>(path(), {
      headers: { 'x-api-key': connectly.apiKey },
      json: { ...base, message: { text: 'a', location: { latitude: 1, longitude: 1 } } },
    });
    expect(two.statusCode).toBe(400);
    const none = await http.post<{ code: string }>(path(), { headers: { 'x-api-key': connectly.apiKey }, json: { ...base, message: {} } });
    expect(none.body.code).toBe('ERROR_CODE_TEXT_EMPTY');
  });

  it("accepts seed 002's reply-button example (text rides with the buttons)", async () => {
    connectly.recordInbound('+16044441111');
    const seed = loadSeed('connectly-reply-buttons-request');
    const { statusCode, body } = await http.post<{ id: string }>(path(), { headers: { 'x-api-key': connectly.apiKey }, json: seed });
    expect(statusCode).toBe(200);
    expect(body.id).toHaveLength(26);
  });
});
