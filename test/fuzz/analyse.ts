// What the fuzzer and the hostile-input tests run on one file, inside a worker: lint (with
// every lazy fix computed), graph and estimate, and the text formatters a person reads.
import * as path from 'path';
import { DEFAULT_CONFIG, lint, readProjectFile } from '../../src/lint/index';
import { extractModels } from '../../src/core/extract';
import { estimateModel } from '../../src/core/estimate/estimate';
import { formatEstimateText } from '../../src/core/estimate/report';
import { DEFAULT_ANALYSIS_BUDGET, isBudgetExhausted, withBudget } from '../../src/core/budget';
import { graphText } from '../../src/cli/format/graph';
import { formatStylish } from '../../src/cli/format/stylish';
import type { ProblemCode } from '../../src/core/graph';

export interface SeenDiagnostic {
  ruleId: string;
  severity: string;
  message: string;
  start: number;
  code?: ProblemCode;
}

export interface Analysis {
  diagnostics: SeenDiagnostic[];
  models: number;
  /** The stylish (CLI) rendering of the diagnostics, and the graph and estimate text. */
  printed: string;
}

export function analyse(file: string, text: string, analysisBudget?: number): Analysis {
  const config = analysisBudget ? { ...DEFAULT_CONFIG, analysisBudget } : DEFAULT_CONFIG;
  // A file named by its absolute path reads its project's files, as the CLI and the editor do (fuzz mutants have none).
  const context = path.isAbsolute(file) ? { readFile: readProjectFile } : {};
  const result = lint(file, text, config, context);
  // Fixes are computed lazily, when read: read them as a quick-fix request would.
  for (const d of result.diagnostics) void d.fixes;
  const extract = extractModels(file, text, { analysisBudget, ...context });
  let printed = formatStylish([{ filePath: file, text, diagnostics: result.diagnostics }], false);
  printed += graphText(extract, file, true);
  // As `gradlint estimate` runs it: within the budget, which may stop it.
  withBudget(analysisBudget ?? DEFAULT_ANALYSIS_BUDGET, () => {
    try {
      for (const model of extract.models) printed += formatEstimateText(file, estimateModel(model));
    } catch (err) {
      if (!isBudgetExhausted(err)) throw err;
    }
  });
  return {
    diagnostics: result.diagnostics.map((d) => ({ ruleId: d.ruleId, severity: d.severity, message: d.message, start: d.range.start, code: d.code })),
    models: extract.models.length,
    printed,
  };
}
