/**
 * Reads a stream up to its first line break without consuming it: the bytes read are pushed back
 * (`unshift`), so whatever reads the stream next sees it whole. Used to choose the CSV delimiter
 * from the header line before the parser is built.
 */
import { Readable } from 'node:stream';

export interface Peeked {
  /** The bytes read: through the first LF, or up to `maxBytes`, or all of a shorter stream. */
  head: Buffer;
  /** The stream to read from now: the same stream with `head` pushed back, or a replay of it. */
  stream: Readable;
}

export function peekFirstLine(stream: Readable, maxBytes: number): Promise<Peeked> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const finish = (ended: boolean) => {
      cleanup();
      const head = Buffer.concat(chunks);
      if (ended) return resolve({ head, stream: Readable.from(head.length > 0 ? [head] : []) });
      stream.unshift(head);
      resolve({ head, stream });
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
        if (chunk.includes(0x0a) || length >= maxBytes) return finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // A destroyed request (client gone) may close without an error event.
    const onClose = () => {
      if (!stream.readableEnded) onError(Object.assign(new Error('the stream closed before its first line'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
