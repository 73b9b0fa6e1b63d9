import type { ExtractResult, Problem } from './graph';
import { DEFAULT_ANALYSIS_BUDGET, isBudgetExhausted, withBudget } from './budget';
import { clampSizes } from './sizes';
import { extractTfjs } from './tfjs/extract';
import type { ReadFile } from './tfjs/modules';
import type { ParseProgram } from './tfjs/parse';
import { extractModelJson } from './modeljson/extract';
import { extractYaml } from './yaml/extract';
import { extractPython } from './python/extract';
import { fileKind } from './modelFiles';
import type { Dialect } from './yaml/dialect';

export interface ExtractOptions {
  /** YOLO scale letter to use when the file name does not carry one. */
  yoloScale?: string;
  /** Reads another file of the project (tfjs builders imported by relative path, a YAML's custom modules); the core reads none itself. */
  readFile?: ReadFile;
  /** The repository whose parse_model reads YOLO YAML files; recognised per file when unset. */
  yoloDialect?: Dialect;
  /** Work units for the file (see budget.ts); shared with the estimate and rules when called from lint. */
  analysisBudget?: number;
  /** Python notebook cells: the code cells above, run before this one (their imports, classes, functions). */
  prelude?: string;
  /** Parses JS/TS (the file and what it imports); src/lint's cache hands one that parses an edited file again only where it changed. */
  parseProgram?: ParseProgram;
}

/** What a file is read with besides its text: the Python prelude, the reader of imported files, the JS/TS parser. */
export type SourceContext = Pick<ExtractOptions, 'prelude' | 'readFile' | 'parseProgram'>;

/** The problem a file gets when its analysis budget runs out: never silence, never a hang. */
export function budgetProblem(err: Error): Problem {
  return { message: err.message, range: { start: 0, end: 0 }, severity: 'warning', code: 'analysis-stopped' };
}

/** Reads every model defined in one file. Never throws; unreadable input becomes problems. */
export function extractModels(file: string, text: string, options: ExtractOptions = {}): ExtractResult {
  return withBudget(options.analysisBudget ?? DEFAULT_ANALYSIS_BUDGET, () => {
    try {
      return clampSizes(readModels(file, text, options));
    } catch (err) {
      if (!isBudgetExhausted(err)) throw err;
      return { file, models: [], problems: [budgetProblem(err)] };
    }
  });
}

function readModels(file: string, text: string, options: ExtractOptions): ExtractResult {
  switch (fileKind(file)) {
    case 'tfjs':
      return extractTfjs(file, text, undefined, options.readFile, options.parseProgram);
    case 'yaml':
      return extractYaml(file, text, { scale: options.yoloScale, dialect: options.yoloDialect, readFile: options.readFile });
    case 'model.json':
      return extractModelJson(file, text);
    case 'python':
      return extractPython(file, text, options.prelude);
    default:
      return { file, models: [], problems: [] };
  }
}
