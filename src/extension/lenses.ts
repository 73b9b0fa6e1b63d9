// Hover with the estimate at a layer, and the "Probe gradients" CodeLens above each model.
import * as vscode from 'vscode';
import type { DocumentLinter } from './linter';

export const PROBE_COMMAND = 'gradlint.probeGradients';

export class EstimateHover implements vscode.HoverProvider {
  constructor(private readonly linter: DocumentLinter) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const analysis = this.linter.analysisFor(doc);
    if (!analysis) return undefined;
    const text = this.linter.engine().hoverMarkdown(analysis.estimates, doc.offsetAt(position));
    return text ? new vscode.Hover(new vscode.MarkdownString(text)) : undefined;
  }
}

export class ProbeCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly linter: DocumentLinter) {
    linter.onDidLint(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const analysis = this.linter.analysisFor(doc);
    if (!analysis) return [];
    return analysis.models.map((model) => {
      const at = doc.positionAt(model.range.start);
      return new vscode.CodeLens(new vscode.Range(at, at), {
        title: 'Probe gradients',
        tooltip: `Run a real tfjs backward pass of ${model.name} and show per-layer gradients`,
        command: PROBE_COMMAND,
        arguments: [doc.uri, model.name],
      });
    });
  }
}
