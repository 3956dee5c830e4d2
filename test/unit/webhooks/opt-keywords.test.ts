import { classifyKeyword, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, optOutReason } from '../../../src/webhooks/opt-keywords.js';

describe('opt-out / opt-in keywords', () => {
  it.each(OPT_OUT_KEYWORDS.flatMap((k) => [k, k.toLowerCase(), `  ${k[0]}${k.slice(1).toLowerCase()}  `]))('%j opts out', (text) => {
    expect(classifyKeyword(text)).toEqual({ intent: 'opt_out', keyword: text.trim().toUpperCase() });
  });

  it.each(OPT_IN_KEYWORDS.flatMap((k) => [k, k.toLowerCase()]))('%j opts in', (text) => {
    expect(classifyKeyword(text)).toEqual({ intent: 'opt_in', keyword: text.toUpperCase() });
  });

  it('takes a keyword with punctuation around it, and ARRÊT with its accent', () => {
    expect(classifyKeyword('Stop.')).toEqual({ intent: 'opt_out', keyword: 'STOP' });
    expect(classifyKeyword('STOP!!\n')).toEqual({ intent: 'opt_out', keyword: 'STOP' });
    expect(classifyKeyword('Arrêt')).toEqual({ intent: 'opt_out', keyword: 'ARRET' });
  });

  it('ignores sentences, other words and empty texts', () => {
    for (const text of ['please stop', 'STOP NOW', 'stopp', 'start me up', 'yes please', '', '   ', undefined, null]) {
      expect(classifyKeyword(text)).toEqual({ intent: 'none' });
    }
  });

  it('tells HELP apart without acting on it', () => {
    expect(classifyKeyword('help')).toEqual({ intent: 'help', keyword: 'HELP' });
  });

  it('stores the keyword in the suppression reason', () => {
    expect(optOutReason('STOP')).toBe('opt_out:STOP');
  });
});
