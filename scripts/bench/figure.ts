/**
 * Terminology
 * - sample: one measurement of one figure in one run.
 * - figure: a named quantity measured ≥ 1 times; reported as median, min and max of its samples.
 * - target: the bound issue 7 sets for a figure (on its value, or on its ratio to a reference).
 * - ratio: the median divided by a reference measured in the same bench run (a ceiling, or the
 *   same figure under easier conditions), so a number says where the time goes rather than only
 *   how fast this box is.
 * - not measured: a figure with no samples; `note` says why. Never a guessed number.
 */
export interface Target {
  /** `>=`: the measured quantity must be at least `value`; `<=`: at most. */
  op: '>=' | '<=';
  value: number;
  /** Which quantity the target bounds: the figure's median, or its ratio. */
  on: 'value' | 'ratio';
  /**
   * Which statistic of the samples is held to it: the median (default) or, for "never more than"
   * targets (the busiest second, the latest start), the worst run.
   */
  stat?: 'median' | 'max';
}

export interface Figure {
  /** Dotted id, `<benchmark>.<what>`: stable across runs so result files can be compared. */
  name: string;
  unit: string;
  samples: number[];
  target?: Target;
  /** Median ÷ this reference (set by the benchmark when a ratio is meaningful). */
  ratio?: { reference: number; of: string };
  /** Why it is not measured, or a caveat worth printing. */
  note?: string;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function ratioOf(figure: Figure): number | undefined {
  const s = summarize(figure.samples);
  if (!s || !figure.ratio || !(figure.ratio.reference > 0)) return undefined;
  return s.median / figure.ratio.reference;
}

/** pass / fail against the target; undefined when there is no target or nothing was measured. */
export function verdict(figure: Figure): boolean | undefined {
  if (!figure.target) return undefined;
  const s = summarize(figure.samples);
  if (!s) return undefined;
  const value = figure.target.stat === 'max' ? s.max : s.median;
  const measured = figure.target.on === 'ratio' ? (figure.ratio ? value / figure.ratio.reference : undefined) : value;
  if (measured === undefined) return undefined;
  return figure.target.op === '>=' ? measured >= figure.target.value : measured <= figure.target.value;
}

export function notMeasured(name: string, unit: string, why: string, target?: Target): Figure {
  return { name, unit, samples: [], note: `not measured: ${why}`, ...(target ? { target } : {}) };
}
