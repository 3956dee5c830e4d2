/**
 * A child logger made only when something is logged through it.
 *
 * The send step gives every run a child logger carrying campaign, recipient and attempt, but most
 * runs log nothing; creating a pino child (bindings serialised, redaction set up) for each run was
 * ~3.5 % of a worker's CPU in the dispatch profile. This stands in for the child and creates it on
 * first use — any property read (info, warn, child, level …) goes to the real child from then on.
 */
import type { Logger } from './logger.js';

export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = (): Logger => (child ??= parent.child(bindings));
  return new Proxy({} as Logger, {
    get(_target, property) {
      const value = Reflect.get(real(), property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real()) : value;
    },
    set(_target, property, value) {
      return Reflect.set(real(), property, value);
    },
    has(_target, property) {
      return Reflect.has(real(), property);
    },
  });
}
