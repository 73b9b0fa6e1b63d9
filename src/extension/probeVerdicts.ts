// The probe's verdict (the heatmap's own: the core's judge, as the static rules') as diagnostics
// with source `gradlint-probe`, on the first weighted layer (or YAML row) of each probed model.
import * as vscode from 'vscode';
import { verdict } from '../../media/heatmap/verdict';
import type { HealthThresholds, ModelTraits } from '../core/judge';
import type { Range } from '../core/graph';
import type { ProbeModelResult } from '../core/gradientResult';
import type { ModelAnchor } from '../server/protocol';

export const PROBE_SOURCE = 'gradlint-probe';

/** Where a verdict is shown: the measured first weighted layer, else the model definition. */
function anchor(graphs: ModelAnchor[], m: ProbeModelResult): Range | undefined {
  const graph = graphs.find((g) => g.name === m.name);
  const first = m.layers.find((l) => l.gradientRms !== null);
  if (!graph || !first) return graph?.range;
  if (first.row !== null) return graph.rows?.[first.row]?.range ?? graph.range;
  return graph.layers.find((l) => l.name === first.name)?.range ?? graph.range;
}

export function probeDiagnostics(
  doc: vscode.TextDocument,
  models: { result: ProbeModelResult; estimate?: ProbeModelResult; traits?: ModelTraits }[],
  graphs: ModelAnchor[],
  thresholds: HealthThresholds,
): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const { result, estimate, traits } of models) {
    const range = anchor(graphs, result);
    if (!range) continue;
    const v = verdict(result, estimate, thresholds, traits);
    const d = new vscode.Diagnostic(
      new vscode.Range(doc.positionAt(range.start), doc.positionAt(range.end)),
      `Probe of ${result.name} (${result.backend ?? 'tfjs'}, step 0): ${v.sentences.join(' ')}`,
      v.status === 'vanishing' || v.status === 'exploding' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
    );
    d.source = PROBE_SOURCE;
    out.push(d);
  }
  return out;
}
