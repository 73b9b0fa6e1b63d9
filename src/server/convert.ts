// The core's findings, fixes and suppressions as LSP objects: character offsets become
// positions on the exact text that was analysed.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Diagnostic, Fix, Severity, TextEdit } from '../core/diagnostic';
import type { Range } from '../core/graph';
import { PARSE_ERROR_RULE } from '../core/rule';
import { RULES } from '../rules/index';

export const SOURCE = 'gradlint';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.gradlint`;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const docsUrls = new Map([...RULES, PARSE_ERROR_RULE].map((r) => [r.id, r.docsUrl]));

/** What converts offsets: the analysed text as a TextDocument. */
export type Positions = Pick<TextDocument, 'positionAt' | 'uri'>;

export const toRange = (doc: Positions, r: Range): LspRange => ({ start: doc.positionAt(r.start), end: doc.positionAt(r.end) });

export function toLspDiagnostic(doc: Positions, d: Diagnostic): LspDiagnostic {
  const docs = docsUrls.get(d.ruleId);
  return {
    range: toRange(doc, d.range),
    severity: SEVERITY[d.severity],
    code: d.ruleId,
    ...(docs ? { codeDescription: { href: docs } } : {}),
    source: SOURCE,
    message: d.message,
    relatedInformation: d.related.map((rel) => ({ location: { uri: doc.uri, range: toRange(doc, rel.range) }, message: rel.message })),
  };
}

const sameRange = (a: LspRange, b: LspRange): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The core diagnostic an LSP diagnostic (as handed back in a code-action request) was made from. */
export function coreDiagnosticFor(doc: Positions, diagnostics: Diagnostic[], d: LspDiagnostic): Diagnostic | undefined {
  if (d.source !== SOURCE) return undefined;
  return diagnostics.find((c) => c.ruleId === String(d.code) && c.message === d.message && sameRange(toRange(doc, c.range), d.range));
}

/** Edits as LSP text edits; identical edits (a layer built in a loop) count once. */
export function toLspEdits(doc: Positions, edits: TextEdit[]): LspTextEdit[] {
  const seen = new Set<string>();
  return edits.flatMap((e) => {
    const key = `${e.range.start}:${e.range.end}:${e.newText}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ range: toRange(doc, e.range), newText: e.newText }];
  });
}

const workspaceEdit = (doc: Positions, edits: TextEdit[]): WorkspaceEdit => ({ changes: { [doc.uri]: toLspEdits(doc, edits) } });

export function quickFix(doc: Positions, fix: Fix, diagnostic: LspDiagnostic): CodeAction {
  const action = CodeAction.create(fix.title, workspaceEdit(doc, fix.edits), CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = fix.preferred;
  return action;
}

export function editAction(doc: Positions, title: string, edit: TextEdit, kind: string, diagnostic?: LspDiagnostic): CodeAction {
  const action = CodeAction.create(title, workspaceEdit(doc, [edit]), kind);
  if (diagnostic) action.diagnostics = [diagnostic];
  return action;
}

/** One edit replacing only the part of `before` that differs from `after`. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return { range: { start, end: endB }, newText: after.slice(start, endA) };
}
