/**
 * The CSV side of the ingest benchmark, as scripts/measure-ingest.ts does it: `number,name,tier`
 * rows with distinct valid numbers, generated while they are sent (never a file, never whole in
 * memory), streamed over real HTTP (chunked) to POST /v1/campaigns/:id/recipients.
 */
import http from 'node:http';
import { Readable } from 'node:stream';

const ROWS_PER_CHUNK = 1_000;

export function csvStream(rows: number): Readable {
  let next = 0;
  return new Readable({
    read() {
      if (next === 0) this.push('number,name,tier\n');
      if (next >= rows) return void this.push(null);
      const end = Math.min(rows, next + ROWS_PER_CHUNK);
      let chunk = '';
      for (let i = next; i < end; i++) chunk += `+86138${String(i).padStart(8, '0')},Customer ${i},${i % 3 === 0 ? 'gold' : 'silver'}\n`;
      next = end;
      this.push(chunk);
    },
  });
}

export function uploadCsv(apiUrl: string, key: string, campaignId: string, body: Readable): Promise<{ status: number; body: string }> {
  const url = new URL(apiUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: `/v1/campaigns/${campaignId}/recipients`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}
