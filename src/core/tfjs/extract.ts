// The tfjs code front end: parses a JS/TS file once with typescript-estree, runs the
// abstract interpreter over it once, and turns the models it built into ModelGraphs.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { ExtractResult, ModelGraph, Problem } from '../graph';
import { LineIndex } from '../text';
import { finalizeModel } from './graphBuilder';
import { chargeParse, isBudgetExhausted } from '../budget';
import { DEFAULT_LIMITS, Interpreter, Limits } from './interpreter';
import type { ReadFile } from './modules';
import { parseProgram, type ParseProgram } from './parse';
import { TFJS_PACKAGE_PATTERN } from './tfApi';
import { unconnectedLayers } from './unconnected';
import { neverAppliedLayers } from './neverApplied';

/** A tfjs package named in a string: an import, a require or a dynamic import. */
const TFJS_SOURCE = new RegExp(`['"\`]${TFJS_PACKAGE_PATTERN}['"\`]`);
/**
 * Scripts loading tfjs from a <script> tag use the global `tf` without importing it, and
 * builders handed `tf` by their caller use it the same way.
 */
const GLOBAL_TF_USE = /\btf\s*\.\s*(?:layers|sequential|model|input)\b/;

function mentionsTfjs(text: string): 'import' | 'global' | undefined {
  if (TFJS_SOURCE.test(text)) return 'import';
  return GLOBAL_TF_USE.test(text) ? 'global' : undefined;
}

function syntaxProblem(error: unknown, text: string): Problem {
  const e = error as { index?: unknown; message?: unknown };
  const start = typeof e.index === 'number' ? Math.min(e.index, text.length) : 0;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return { message: `Syntax error: ${message}`, range: { start, end: Math.min(start + 1, text.length) }, severity: 'error' };
}

/**
 * A model's identity for de-duplication: where it is built and what it holds, without
 * interpreter ids or the wording of reasons (a builder run from two unknown callers).
 */
function modelKey(m: ModelGraph): string {
  const json = JSON.stringify(m, (key, value: unknown) => {
    if (key === 'notes') return undefined;
    if (key === 'unknown' && value && typeof value === 'object') return Object.keys(value).sort();
    return value;
  });
  return json.replace(/"L\d+(_wrapped)?"/g, '"L"');
}

/** Models built more than once with the same result are listed once. */
function dedupe(models: ModelGraph[]): ModelGraph[] {
  // Only models built at the same place can be the same; most files have none such.
  const sites = new Map<number, number>();
  for (const m of models) sites.set(m.range.start, (sites.get(m.range.start) ?? 0) + 1);
  const seen = new Set<string>();
  return models.filter((m) => {
    if (sites.get(m.range.start) === 1) return true;
    const key = modelKey(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Reads every tfjs model a JS/TS file defines. Never throws. `readFile` reads the files it
 * imports by relative path; `parse` parses this file and those (the cache's reuses earlier parses).
 */
export function extractTfjs(file: string, text: string, limits: Limits = DEFAULT_LIMITS, readFile?: ReadFile, parse: ParseProgram = parseProgram): ExtractResult {
  const result: ExtractResult = { file, models: [], problems: [] };
  const usage = mentionsTfjs(text);
  if (!usage) return result;
  let program: TSESTree.Program;
  chargeParse(text);
  try {
    program = parse(file, text);
  } catch (error) {
    result.problems.push(syntaxProblem(error, text));
    return result;
  }
  const it = new Interpreter(text, new LineIndex(text), limits, { file, readFile, parse });
  it.tf.allowGlobalTf = usage === 'global';
  try {
    it.run(program);
    const unconnected = unconnectedLayers(it.models, it.tf.applications);
    const neverApplied = neverAppliedLayers(program, it.models, it.tf.created, it.tf.applications);
    result.models = dedupe(it.models.map((m) => finalizeModel(m, m.kind === 'sequential' ? 'sequential' : 'model', unconnected.get(m), neverApplied.get(m))));
    result.problems = it.problems;
  } catch (error) {
    // The budget running out is reported by extractModels for the whole file.
    if (isBudgetExhausted(error)) throw error;
    // A bug in the interpreter must not take the editor down: report it where it can be seen.
    result.models = [];
    result.problems = [
      ...it.problems,
      {
        message: `gradlint could not analyse this file (internal error: ${error instanceof Error ? error.message : String(error)})`,
        range: { start: 0, end: 0 },
        severity: 'error',
        code: 'internal-error',
      },
    ];
  }
  return result;
}
