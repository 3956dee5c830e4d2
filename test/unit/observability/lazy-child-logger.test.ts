import { Writable } from 'node:stream';
import { pino } from 'pino';
import { lazyChild } from '../../../src/observability/lazy-child-logger.js';

function capture(): { parent: pino.Logger; lines: Record<string, unknown>[]; made: () => number } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const parent = pino({ redact: { paths: ['apiKey'], censor: '[redacted]' } }, stream);
  const original = parent.child;
  let made = 0;
  // Counts the children made from `parent` (grandchildren inherit this method and count too).
  parent.child = function (this: pino.Logger, ...args: Parameters<typeof original>) {
    made++;
    return original.apply(this, args);
  } as typeof parent.child;
  return { parent, lines, made: () => made };
}

describe('lazyChild', () => {
  it('makes no child while nothing is logged', () => {
    const { parent, lines, made } = capture();
    lazyChild(parent, { campaignId: 'c1' });
    expect(made()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('logs with the bindings and the parent redaction once used, making the child once', () => {
    const { parent, lines, made } = capture();
    const log = lazyChild(parent, { campaignId: 'c1', recipientId: '7' });
    log.info({ apiKey: 'secret' }, 'first');
    log.warn('second');
    expect(made()).toBe(1);
    log.child({ step: 'x' }).error('third');
    expect(lines.map((l) => [l.msg, l.campaignId, l.recipientId])).toEqual([
      ['first', 'c1', '7'],
      ['second', 'c1', '7'],
      ['third', 'c1', '7'],
    ]);
    expect(lines[0]!.apiKey).toBe('[redacted]');
    expect(lines[2]!.step).toBe('x');
    expect(log.level).toBe('info');
  });
});
