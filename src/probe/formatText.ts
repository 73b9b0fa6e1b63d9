// The probe result as a compact per-layer table for terminals: name, kind, line and the
// log10 gradient RMS at each step, with a bar whose length grows with the gradient.
import type { ProbeFileResult, ProbeModelResult } from '../core/gradientResult';
import { formatLog10 } from '../core/estimate/report';
import { alignColumns, printable } from '../core/text';

/** Bar scale: a gradient RMS of 1e-12 or less gets no bar, 1 or more the full 12 cells. */
const BAR_DECADES = 12;

const log10 = (v: number): string => (v > 0 ? Math.log10(v).toFixed(1) : '-inf');

function bar(value: number | undefined): string {
  if (value === undefined || !(value > 0)) return '';
  const cells = Math.max(0, Math.min(BAR_DECADES, Math.round(BAR_DECADES + Math.log10(value))));
  return '█'.repeat(cells);
}

function table(rows: string[][]): string[] {
  return alignColumns(rows, (c) => c === 2);
}

function formatModel(file: string, model: ProbeModelResult): string[] {
  const steps = Math.max(1, ...model.layers.map((l) => l.activationRms.length));
  const ratio = formatLog10(model.depthRatioLog10);
  const header = [
    'layer',
    'kind',
    'line',
    ...Array.from({ length: steps }, (_, s) => (steps === 1 ? 'log10 grad RMS' : `step ${s}`)),
    '',
  ];
  const rows = model.layers.map((l) => [
    l.row === null ? l.name : `${l.row}: ${l.name}`,
    l.kind,
    String(l.line),
    ...Array.from({ length: steps }, (_, s) => (l.gradientRms ? log10(l.gradientRms[s]) : '-')),
    bar(l.gradientRms?.[0]),
  ]);
  return [
    `${file}: ${model.name} (line ${model.line}), backend ${model.backend ?? 'n/a'}, depth ratio log10 ${ratio}`,
    ...table([header, ...rows]).map((line) => `  ${line}`),
  ];
}

export function formatProbeText(result: ProbeFileResult): string {
  return printable(result.models.map((m) => formatModel(result.file, m).join('\n')).join('\n\n') + '\n');
}
