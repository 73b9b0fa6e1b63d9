// Quick fixes (every fix of the core, the preferred one marked), "Disable RULE for this
// line / file", and `source.fixAll.gradlint`, which applies preferred fixes only (also on
// save through `editor.codeActionsOnSave`), by the core's one fix-all policy (lintAndFix).
import * as vscode from 'vscode';
import type { DocumentLinter } from './linter';
import { readSettings } from './settings';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('gradlint');

export class GradlintCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly linter: DocumentLinter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const analysis = this.linter.analysisFor(doc);
    if (!analysis) return [];
    const engine = this.linter.engine();
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);

    if (wants(vscode.CodeActionKind.QuickFix)) {
      for (const diagnostic of context.diagnostics) {
        const core = engine.coreDiagnosticFor(doc, analysis, diagnostic);
        if (!core) continue;
        for (const fix of core.fixes) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = engine.fixToWorkspaceEdit(doc, fix);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred;
          actions.push(action);
        }
        for (const scope of ['line', 'file'] as const) {
          const edit = engine.disableEdit(doc, analysis, core, scope);
          if (!edit) continue;
          const action = new vscode.CodeAction(`Disable ${core.ruleId} for this ${scope}`, vscode.CodeActionKind.QuickFix);
          action.edit = edit;
          action.diagnostics = [diagnostic];
          actions.push(action);
        }
      }
    }

    // Only when asked for (source actions, fix-all on save): it rewrites the whole file.
    if (context.only && (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only))) {
      const edit = engine.minimalEdit(analysis.text, engine.fixAllText(analysis, readSettings(doc.uri)));
      if (edit) {
        const action = new vscode.CodeAction('Fix all gradlint problems (preferred fixes)', FIX_ALL_KIND);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.set(doc.uri, [engine.toTextEdit(doc, edit)]);
        actions.push(action);
      }
    }
    return actions;
  }
}
