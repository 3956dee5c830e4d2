/**
 * Counts the bytes of a streamed body and fails once there are more than the route allows.
 * Fastify enforces `bodyLimit` only for bodies it reads itself; a parser that hands the raw
 * stream through (as the CSV routes do) must count on its own.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../errors/index.js';

export class ByteLimit extends Transform {
  bytes = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      return callback(new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${this.limit} bytes`, { details: { limit: this.limit } }));
    }
    callback(null, chunk);
  }
}
