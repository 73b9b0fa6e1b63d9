// The extension's bridge to the core, loaded on first use (DocumentLinter.engine): the
// parsers, the estimate and the rules stay out of activation. Converts between the core's
// character offsets and VS Code's positions on the exact text that was analysed.
import * as vscode from 'vscode';
import { fixAll, lint, loadSettings } from '../lint/index';
import type { Thresholds, UserConfig } from '../core/config';
import { LineIndex } from '../core/text';
import { estimateToResult } from '../core/estimate/report';
import type { ProbeModelResult } from '../core/gradientResult';
import { disableCommentEdit } from '../core/suppress';
import { PARSE_ERROR_RULE } from '../core/rule';
import { RULES } from '../rules/index';
import type { Diagnostic, Fix, Severity, TextEdit } from '../core/diagnostic';
import type { ModelEstimate } from '../core/estimate/types';
import type { ModelGraph } from '../core/graph';
import type { Settings } from './settings';

export interface Analysis {
  file: string;
  text: string;
  version: number;
  /** A Python notebook cell's code cells above it, read before it. */
  prelude?: string;
  diagnostics: Diagnostic[];
  models: ModelGraph[];
  estimates: ModelEstimate[];
  /** Problems with the user's settings or `.gradlintrc.json`, each naming the key. */
  configErrors: string[];
  configFile?: string;
  /** The thresholds in force, for judging the probe's numbers the same way. */
  thresholds: Thresholds;
  ms: number;
}

const SOURCE = 'gradlint';

function overrides(settings: Settings): Partial<UserConfig> {
  return {
    rules: settings.rules as UserConfig['rules'],
    thresholds: settings.thresholds,
    ...(settings.yoloScale ? { yoloScale: settings.yoloScale } : {}),
    ...(settings.yoloDialect ? { yoloDialect: settings.yoloDialect } : {}),
    ...(settings.analysisBudget ? { analysisBudget: settings.analysisBudget } : {}),
  };
}

export function analyse(file: string, text: string, version: number, settings: Settings, prelude?: string): Analysis {
  const started = performance.now();
  const { config, errors } = loadSettings(file, overrides(settings));
  const result = lint(file, text, config, prelude);
  return {
    file,
    text,
    version,
    prelude,
    diagnostics: result.diagnostics,
    models: result.extract.models,
    estimates: result.estimates,
    configErrors: errors,
    configFile: config.configFile,
    thresholds: config.thresholds,
    ms: performance.now() - started,
  };
}

/** One line for the output channel about what was analysed. */
export function describe(name: string, a: Analysis): string {
  const models = a.models.map((m) => m.name).join(', ') || 'none';
  const config = a.configFile ? `, settings from ${a.configFile}` : '';
  return `Linted ${name} (version ${a.version}) in ${a.ms.toFixed(1)} ms: models ${models}; ${a.diagnostics.length} finding(s)${config}.`;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const docsUrls = new Map([...RULES, PARSE_ERROR_RULE].map((r) => [r.id, r.docsUrl]));

/** A text whose offsets can be turned into positions: an open document, or a file read from disk. */
export interface Positioned {
  uri: vscode.Uri;
  positionAt(offset: number): vscode.Position;
}

/** Positions for a file that is not open in an editor. */
export function positionedText(uri: vscode.Uri, text: string): Positioned {
  const index = new LineIndex(text);
  return {
    uri,
    positionAt: (offset) => {
      const p = index.positionAt(offset);
      return new vscode.Position(p.line, p.character);
    },
  };
}

function toRange(doc: Positioned, r: { start: number; end: number }): vscode.Range {
  return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
}

export function toVscodeDiagnostics(doc: Positioned, a: Analysis): vscode.Diagnostic[] {
  return a.diagnostics.map((d) => {
    const out = new vscode.Diagnostic(toRange(doc, d.range), d.message, SEVERITY[d.severity]);
    out.source = SOURCE;
    const docs = docsUrls.get(d.ruleId);
    out.code = docs ? { value: d.ruleId, target: vscode.Uri.parse(docs) } : d.ruleId;
    out.relatedInformation = d.related.map(
      (rel) => new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, toRange(doc, rel.range)), rel.message),
    );
    return out;
  });
}

const ruleIdOf = (d: vscode.Diagnostic): string | undefined =>
  typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);

/** The core diagnostic a VS Code diagnostic (as handed back to code actions) was made from. */
export function coreDiagnosticFor(doc: vscode.TextDocument, a: Analysis, d: vscode.Diagnostic): Diagnostic | undefined {
  if (d.source !== SOURCE) return undefined;
  const id = ruleIdOf(d);
  return a.diagnostics.find((c) => c.ruleId === id && c.message === d.message && toRange(doc, c.range).isEqual(d.range));
}

/** A fix as a WorkspaceEdit; identical edits (a layer built in a loop) count once. */
export function fixToWorkspaceEdit(doc: vscode.TextDocument, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const seen = new Set<string>();
  for (const e of fix.edits) {
    const key = `${e.range.start}:${e.range.end}:${e.newText}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edit.replace(doc.uri, toRange(doc, e.range), e.newText);
  }
  return edit;
}

/** The text after fix-all (the core's policy and loop, as `gradlint lint --fix`), on the settings of the analysis. */
export function fixAllText(a: Analysis, settings: Settings): string {
  return fixAll(a.file, a.text, loadSettings(a.file, overrides(settings)).config, undefined, a.prelude).text;
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

/** "Disable RULE for this line / file" as a WorkspaceEdit; undefined where comments do not exist (JSON). */
export function disableEdit(doc: vscode.TextDocument, a: Analysis, d: Diagnostic, scope: 'line' | 'file'): vscode.WorkspaceEdit | undefined {
  // A file that cannot be read is fixed, not silenced.
  if (d.ruleId === PARSE_ERROR_RULE.id) return undefined;
  const edit = disableCommentEdit(a.file, a.text, d.ruleId, scope, doc.positionAt(d.range.start).line);
  if (!edit) return undefined;
  const out = new vscode.WorkspaceEdit();
  out.replace(doc.uri, toRange(doc, edit.range), edit.newText);
  return out;
}

export function toTextEdit(doc: vscode.TextDocument, e: TextEdit): vscode.TextEdit {
  return vscode.TextEdit.replace(toRange(doc, e.range), e.newText);
}

/** The static estimate of one model in the probe's shape: the heatmap's "predicted" column. */
export function estimateResult(a: Analysis, model: string): ProbeModelResult | undefined {
  const estimate = a.estimates.find((e) => e.model.name === model);
  return estimate && estimateToResult(estimate);
}

export { hoverMarkdown } from './hoverText';
