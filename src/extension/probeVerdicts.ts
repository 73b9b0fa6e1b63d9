// The probe's measured numbers judged with the static rules' thresholds, as diagnostics
// (source `gradlint-probe`) on the first weighted layer of each probed model.
import * as vscode from 'vscode';
import type { Thresholds } from '../core/config';
import type { ModelGraph } from '../core/graph';
import type { ProbeLayerResult, ProbeModelResult } from '../probe/types';

export const PROBE_SOURCE = 'gradlint-probe';

const pow10 = (log: number) => `10^${log.toFixed(1)}`;
const label = (l: ProbeLayerResult) => (l.row === null ? l.name : `row ${l.row} (${l.name})`);

/** Verdict sentences for one model at step 0; empty when the gradient flows. */
export function probeVerdicts(m: ProbeModelResult, t: Thresholds): { text: string; severity: vscode.DiagnosticSeverity }[] {
  const weighted = m.layers.filter((l): l is ProbeLayerResult & { gradientRms: number[] } => l.gradientRms !== null);
  if (weighted.length === 0) return [];
  const first = weighted[0];
  const last = weighted[weighted.length - 1];
  const firstLog = Math.log10(first.gradientRms[0]);
  const ratio = m.depthRatioLog10;
  const maxActivation = Math.max(...m.layers.map((l) => Math.log10(l.activationRms[0])));
  const out: { text: string; severity: vscode.DiagnosticSeverity }[] = [];
  const warn = vscode.DiagnosticSeverity.Warning;
  if ((ratio !== null && ratio < t.vanishingDepthRatioLog10) || firstLog < t.vanishingFirstGradientLog10) {
    out.push({
      text: `gradients vanish: ${label(first)} receives ${pow10(ratio ?? firstLog)} of ${label(last)}'s gradient (gradient RMS ${pow10(firstLog)}; thresholds ${pow10(t.vanishingDepthRatioLog10)} and ${pow10(t.vanishingFirstGradientLog10)})`,
      severity: warn,
    });
  }
  if (firstLog > t.explodingFirstGradientLog10 || maxActivation > t.explodingActivationLog10) {
    out.push({
      text: `gradients explode: ${label(first)}'s gradient RMS is ${pow10(firstLog)} and the largest activation RMS ${pow10(maxActivation)} (thresholds ${pow10(t.explodingFirstGradientLog10)} and ${pow10(t.explodingActivationLog10)})`,
      severity: warn,
    });
  }
  if (out.length === 0) {
    out.push({
      text: `the gradient flows: ${label(first)} receives ${ratio === null ? 'a gradient' : `${pow10(ratio)} of ${label(last)}'s gradient`}, gradient RMS ${pow10(firstLog)}`,
      severity: vscode.DiagnosticSeverity.Information,
    });
  }
  return out;
}

/** Where a verdict is shown: the measured first weighted layer, else the model definition. */
function anchor(models: ModelGraph[], m: ProbeModelResult): { start: number; end: number } | undefined {
  const graph = models.find((g) => g.name === m.name);
  const first = m.layers.find((l) => l.gradientRms !== null);
  if (!graph || !first) return graph?.range;
  if (first.row !== null) return graph.rows?.[first.row]?.range ?? graph.range;
  return graph.layers.find((l) => l.name === first.name)?.range ?? graph.range;
}

export function probeDiagnostics(
  doc: vscode.TextDocument,
  models: ProbeModelResult[],
  graphs: ModelGraph[],
  thresholds: Thresholds,
): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const m of models) {
    const range = anchor(graphs, m);
    if (!range) continue;
    for (const v of probeVerdicts(m, thresholds)) {
      const d = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(range.start), doc.positionAt(range.end)),
        `Probe of ${m.name} (${m.backend ?? 'tfjs'}, step 0): ${v.text}.`,
        v.severity,
      );
      d.source = PROBE_SOURCE;
      out.push(d);
    }
  }
  return out;
}
