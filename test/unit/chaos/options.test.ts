/** `npm run chaos` options: what `--ci` means (CI runs it; .ci/run counts its scenarios). */
import { CI_DEFAULTS, parseOptions } from '../../../scripts/chaos/options.js';
import { SCENARIOS } from '../../../scripts/chaos/scenarios/index.js';

const argv = (...args: string[]): string[] => ['node', 'chaos', ...args];

describe('chaos options', () => {
  it('--ci runs every scenario at the CI sizes', () => {
    expect(parseOptions(argv('--ci'))).toMatchObject({
      scenarios: SCENARIOS.map((s) => s.name),
      recipients: CI_DEFAULTS.recipients,
      faultMs: CI_DEFAULTS.faultSeconds * 1000,
      timeoutMs: CI_DEFAULTS.timeout * 1000,
    });
  });

  it('explicit values win over the CI sizes', () => {
    expect(parseOptions(argv('--ci', '--recipients', '500', '--fault-seconds', '30'))).toMatchObject({ recipients: 500, faultMs: 30_000, timeoutMs: 240_000 });
  });

  it('without --ci: the full sizes; --only keeps baseline first', () => {
    expect(parseOptions(argv())).toMatchObject({ recipients: 20_000, faultMs: 30_000, timeoutMs: 900_000 });
    expect(parseOptions(argv('--only', 'worker-kill,redis-flush', '--results-file', '/tmp/r.json'))).toMatchObject({
      scenarios: ['baseline', 'worker-kill', 'redis-flush'],
      resultsFile: '/tmp/r.json',
    });
  });
});
