/**
 * A request whose bytes leave only when a gate says so, and only by the deadline the gate sets.
 *
 * Why: the rate limiter admits a send, but what the provider counts is when the bytes arrive.
 * Between the two lay got's option handling, the agent handing out a socket and — on a busy machine
 * — whole event-loop stalls (GC, the process not being scheduled) of 100–300 ms, measured with
 * three workers on two cores. Requests made before a stall all left right after it, together, so
 * the provider saw them bunched past its limit although we never admitted more than the limit in
 * any window.
 *
 * So the order is turned round: the request is made first, and held. Node emits the ClientRequest's
 * `socket` event synchronously right before it flushes the request into the socket; there the
 * socket is corked, so the bytes stay in this process. Then the gate runs (the send step asks the
 * rate limiter). When it answers with a deadline that has not passed, the socket is uncorked and the
 * bytes go to the kernel in the same synchronous step — so the time from admission to the wire is
 * one Redis round trip and one turn of the event loop. When it answers null, or the deadline has
 * passed (a stall came in between), the request is destroyed with nothing written: the provider
 * cannot have seen it, and the caller may try again. For a socket still connecting, the deadline is
 * checked again at `connect`, before the socket writes what it holds (our listener is registered
 * before Node's).
 *
 * Used through got's `request` option: got calls the function to create the ClientRequest, and the
 * listener is attached in the same synchronous step, before Node can assign the socket.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { RequestFunction } from 'got';

/**
 * Called when the request is ready to leave, its bytes held: resolves with the local time (ms) by
 * which they must be written, or null to drop the request unwritten.
 */
export type WriteGate = () => Promise<number | null>;

/** Why a gated request was destroyed unwritten. */
export class RequestNotWritten extends Error {
  readonly code = 'ERR_REQUEST_NOT_WRITTEN';
  constructor(readonly reason: 'gate-closed' | 'deadline-missed', message: string) {
    super(message);
    this.name = 'RequestNotWritten';
  }
}

/**
 * A got `request` function whose request is written only when `gate` allows it, by the deadline it
 * gives. `onNotWritten` is called before the request is destroyed, so the caller can tell this from
 * any other failure whatever got makes of the error.
 */
export function gatedRequest(gate: WriteGate, clock: () => number, onNotWritten: (why: RequestNotWritten) => void): RequestFunction {
  return (url, options, callback) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, options, callback);
    const drop = (why: RequestNotWritten): void => {
      onNotWritten(why);
      request.destroy(why);
    };
    request.once('socket', (socket: Socket) => {
      socket.cork();
      gate().then(
        (notAfter) => {
          if (request.destroyed) return;
          if (notAfter === null) return drop(new RequestNotWritten('gate-closed', 'request not sent: its gate closed'));
          const check = (): void => {
            const late = clock() - notAfter;
            if (late > 0) drop(new RequestNotWritten('deadline-missed', `request not sent: its write deadline passed ${late} ms before it could be written`));
          };
          if (socket.connecting) socket.once('connect', check);
          else check();
          if (!request.destroyed) socket.uncork();
        },
        (err: unknown) => {
          if (request.destroyed) return;
          drop(new RequestNotWritten('gate-closed', `request not sent: its gate failed (${err instanceof Error ? err.message : String(err)})`));
        },
      );
    });
    return request;
  };
}
