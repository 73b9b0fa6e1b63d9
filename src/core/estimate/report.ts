// The estimate in the probe contract's shape (one value per array, step 0), and as a table.
import type { ProbeModelResult } from '../gradientResult';
import type { ModelEstimate } from './types';
import { alignColumns, printable } from '../text';
import { isFrozen } from '../layerDefaults';

/** The contract's JSON for one model: what `gradlint estimate --format json` prints. */
export function estimateToResult(estimate: ModelEstimate): ProbeModelResult {
  return {
    name: estimate.model.name,
    line: estimate.model.line,
    layers: estimate.layers.map((l) => ({
      name: l.layer.name,
      kind: l.layer.kind,
      line: l.layer.line,
      row: l.layer.row ?? null,
      // A frozen layer has no trainable kernel: the probe reports no gradient for it either.
      gradientRms: l.gradientRms === null || isFrozen(l.layer) ? null : [l.gradientRms],
      activationRms: [l.activationRms],
    })),
    depthRatioLog10: estimate.depthRatioLog10,
  };
}

/** A log10 figure for people: one decimal, '-inf' where there is no gradient at all, 'n/a' where there is no figure. */
export const formatLog10 = (x: number | null): string =>
  x === null ? 'n/a' : Number.isFinite(x) ? x.toFixed(1) : x > 0 ? 'inf' : '-inf';

const decade = (v: number | null | undefined): string =>
  v === null || v === undefined ? '-' : v > 0 ? Math.log10(v).toFixed(1) : '-inf';

/** A compact per-layer table: log10 of the predicted gradient and activation RMS, and χ. */
export function formatEstimateText(file: string, estimate: ModelEstimate): string {
  const ratio = formatLog10(estimate.depthRatioLog10);
  const first = formatLog10(estimate.firstGradientRmsLog10);
  const head = ['layer', 'kind', 'line', 'log10 grad', 'log10 act', 'chi'];
  const rows = estimate.layers.map((l) => [
    l.layer.row === undefined ? l.layer.name : `${l.layer.row}: ${l.layer.name}`,
    l.layer.kind,
    String(l.layer.line),
    decade(l.gradientRms),
    decade(l.activationRms),
    l.backwardFactor === undefined ? '' : l.backwardFactor.toPrecision(2),
  ]);
  const all = [head, ...rows];
  // Names and kinds read left to right; numbers line up on the right.
  const lines = alignColumns(all, (c) => c >= 2);
  const notes = estimate.assumptions.map((a) => `  assumed: ${a}`);
  const layerNotes = estimate.layers.flatMap((l) => l.assumptions.map((a) => `  ${l.layer.name}: ${a}`));
  return printable(
    [
      `${file}: ${estimate.model.name} (line ${estimate.model.line}), estimated depth ratio log10 ${ratio}, first-layer gradient log10 ${first}`,
      ...lines.map((line) => `  ${line}`),
      ...notes,
      ...layerNotes,
    ].join('\n'),
  );
}
