// ESLint's JSON result shape (what `eslint -f json` prints), which CI tools already read.
// `severity` is 2 for errors and 1 for everything else, as ESLint has no finer levels;
// `level` carries gradlint's exact one. `warningCount` counts level "warning" only.

import type { Diagnostic, Severity } from '../../core/diagnostic';
import { LineIndex } from '../../core/text';

/** One linted file, as the formatters see it. */
export interface FileReport {
  filePath: string;
  text: string;
  diagnostics: Diagnostic[];
  /** A notebook's: the cell (number, 0-based line and column) at an offset of its JSON text. */
  cellAt?: (offset: number) => { cell: number; line: number; character: number } | undefined;
}

export interface EslintMessage {
  ruleId: string;
  severity: 1 | 2;
  level: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** In a notebook (line and column above are the JSON file's): the cell, counted from 1, and the 1-based position in it. */
  cell?: { number: number; line: number; column: number };
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  hintCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

export function toEslintResult(report: FileReport): EslintResult {
  const index = new LineIndex(report.text);
  const messages = report.diagnostics.map((d): EslintMessage => {
    const start = index.positionAt(d.range.start);
    const end = index.positionAt(d.range.end);
    const inCell = report.cellAt?.(d.range.start);
    return {
      ruleId: d.ruleId,
      severity: d.severity === 'error' ? 2 : 1,
      level: d.severity,
      message: d.message,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      ...(inCell && { cell: { number: inCell.cell, line: inCell.line + 1, column: inCell.character + 1 } }),
    };
  });
  const count = (level: Severity, fixable = false) =>
    report.diagnostics.filter((d) => d.severity === level && (!fixable || d.fixes.some((f) => f.preferred))).length;
  return {
    filePath: report.filePath,
    messages,
    errorCount: count('error'),
    warningCount: count('warning'),
    infoCount: count('info'),
    hintCount: count('hint'),
    fixableErrorCount: count('error', true),
    fixableWarningCount: count('warning', true),
  };
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify(reports.map(toEslintResult), null, 2);
}
