/**
 * Opt-out / opt-in keywords of inbound messages (notes/providers.md, SMS industry practice): the
 * whole message must be one keyword, in any case, surrounding spaces and punctuation aside —
 * "stop" and " STOP! " opt out, "please stop texting me" does not (a person wrote it; an operator
 * reads it). HELP/INFO are recognised so callers can tell them apart, but change nothing here.
 * Pure: no I/O.
 */

export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REMOVE', 'ARRET'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type KeywordIntent =
  | { intent: 'opt_out'; keyword: string }
  | { intent: 'opt_in'; keyword: string }
  | { intent: 'help'; keyword: string }
  | { intent: 'none' };

const OUT = new Set<string>(OPT_OUT_KEYWORDS);
const IN = new Set<string>(OPT_IN_KEYWORDS);
const HELP = new Set<string>(HELP_KEYWORDS);

/** Trailing or leading punctuation people add to a keyword ("Stop.", "STOP!!", "«ARRÊT»"). */
const EDGE_PUNCTUATION = /^[\s\p{P}]+|[\s\p{P}]+$/gu;

/**
 * What a message's text asks for. `ARRÊT` (French, with the circumflex) counts as ARRET.
 * Anything but a single keyword is `none`.
 */
export function classifyKeyword(text: string | undefined | null): KeywordIntent {
  if (typeof text !== 'string') return { intent: 'none' };
  const word = text
    .replace(EDGE_PUNCTUATION, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase();
  if (word === '' || /\s/.test(word)) return { intent: 'none' };
  if (OUT.has(word)) return { intent: 'opt_out', keyword: word };
  if (IN.has(word)) return { intent: 'opt_in', keyword: word };
  if (HELP.has(word)) return { intent: 'help', keyword: word };
  return { intent: 'none' };
}

/** The suppression reason stored for an opt-out keyword: `opt_out:STOP`. */
export function optOutReason(keyword: string): string {
  return `opt_out:${keyword}`;
}
