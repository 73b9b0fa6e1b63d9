import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { Option, type Command } from 'commander';
import { CLI_FILE_GLOB, Gitignores, isNotebook, notebookCellPath, readByCli } from '../../core/modelFiles';
import { cellPositionAt, cellRangeInJson, readNotebook, restoreMagics, writeCells, type NotebookCell } from '../../core/python/notebook';
import type { Range } from '../../core/graph';
import type { ResolvedConfig, UserConfig } from '../../core/config';
import { fixAll, lint, loadSettings, readProjectFile } from '../../lint/index';
import type { Diagnostic } from '../../core/diagnostic';
import { formatJson, type FileReport } from '../format/json';
import { formatStylish } from '../format/stylish';
import { formatSarif } from '../format/sarif';
import { budgetOption, dialectOption, integerAtLeast, scaleOption } from '../options';
import type { Dialect } from '../../core/yaml/dialect';

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

export interface LintOptions {
  format: 'text' | 'json' | 'sarif';
  fix?: boolean;
  maxWarnings?: number;
  scale?: string;
  dialect?: Dialect;
  analysisBudget?: number;
}

class UsageError extends Error {}

/** The `.gitignore` files that apply under `dir`: its ancestors' up to the repository root, and its descendants'. */
function gitignores(dir: string): Gitignores {
  const files: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, '.gitignore');
    if (d !== dir && fs.existsSync(candidate)) files.push(candidate);
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  files.push(...fg.sync('**/.gitignore', { cwd: dir, absolute: true, dot: true, ignore: ALWAYS_IGNORED }));
  return new Gitignores(files.map((file) => ({ dir: path.dirname(file), text: fs.readFileSync(file, 'utf8') })));
}

/** Files to lint, and which were named explicitly (those report problems even without models). */
export function collectFiles(patterns: string[], cwd: string): { files: string[]; explicit: Set<string> } {
  const files = new Set<string>();
  const explicit = new Set<string>();
  for (const pattern of patterns.length ? patterns : ['.']) {
    const abs = path.resolve(cwd, pattern);
    const stat = fs.existsSync(abs) ? fs.statSync(abs) : undefined;
    if (stat?.isFile()) {
      if (readByCli(abs)) {
        files.add(abs);
        explicit.add(abs);
      }
      continue;
    }
    const dir = stat?.isDirectory() ? abs : cwd;
    const glob = stat?.isDirectory() ? CLI_FILE_GLOB : pattern.replace(/^\.\//, '');
    const found = fg.sync(glob, { cwd: dir, absolute: true, onlyFiles: true, ignore: ALWAYS_IGNORED });
    if (!found.length && !stat) throw new UsageError(`No files matching the pattern "${pattern}" were found.`);
    const ignored = gitignores(dir);
    for (const file of found) if (readByCli(file) && !ignored.ignores(file)) files.add(path.normalize(file));
  }
  return { files: [...files].sort(), explicit };
}

const fileError = (message: string): Diagnostic => ({ ruleId: 'parse-error', severity: 'error', message, range: { start: 0, end: 0 }, related: [], fixes: [] });

/** Lints (and with `fix`, rewrites) one file; model-less files found by walking give nothing. */
function lintFile(file: string, config: ResolvedConfig, fix: boolean, explicit: boolean): FileReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { filePath: file, text: '', diagnostics: [fileError(`cannot be read: ${err instanceof Error ? err.message : String(err)}`)] };
  }
  if (isNotebook(file)) return lintNotebook(file, text, config, fix, explicit);
  const { text: fixed, result } = fix ? fixAll(file, text, config, undefined, { readFile: readProjectFile }) : { text, result: lint(file, text, config, { readFile: readProjectFile }) };
  if (fixed !== text) fs.writeFileSync(file, fixed);
  const diagnostics = result.extract.models.length || explicit ? result.diagnostics : [];
  return { filePath: file, text: fixed, diagnostics };
}

/**
 * A notebook: each Python code cell linted after the cells above it. Findings are placed in
 * the notebook's JSON text (so SARIF and `file:line:col` point into the real file), with the
 * cell alongside. `--fix` rewrites only the fixed cells' `source`, then lints the result.
 */
function lintNotebook(file: string, json: string, config: ResolvedConfig, fix: boolean, explicit: boolean): FileReport {
  const read = readNotebook(json);
  if ('error' in read) return { filePath: file, text: json, diagnostics: explicit ? [fileError(read.error)] : [] };
  const cellPath = notebookCellPath(file);
  if (fix) {
    const fixed = new Map<number, string>();
    const above: string[] = [];
    for (const cell of read.cells) {
      const text = fixAll(cellPath, cell.text, config, undefined, { prelude: above.join('\n') || undefined }).text;
      const written = text === cell.text ? undefined : restoreMagics(cell, text);
      if (written !== undefined) fixed.set(cell.number, written);
      // Later cells are read after this one as fixed (the magics stay blanked).
      above.push(written === undefined ? cell.text : text);
    }
    if (fixed.size) {
      fs.writeFileSync(file, writeCells(json, read.cells, fixed));
      return lintNotebook(file, fs.readFileSync(file, 'utf8'), config, false, explicit);
    }
  }
  const diagnostics: Diagnostic[] = [];
  let models = 0;
  read.cells.forEach((cell, i) => {
    const result = lint(cellPath, cell.text, config, { prelude: i ? read.cells.slice(0, i).map((c) => c.text).join('\n') : undefined });
    models += result.extract.models.length;
    const toJson = (range: Range): Range => jsonRange(read.cells, i, range);
    for (const d of result.diagnostics) {
      diagnostics.push({
        ...d,
        range: toJson(d.range),
        related: d.related.map((r) => ({ ...r, range: toJson(r.range) })),
        fixes: d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: toJson(e.range) })) })),
      });
    }
  });
  return { filePath: file, text: json, diagnostics: models || explicit ? diagnostics : [], cellAt: (offset) => cellPositionAt(read.cells, offset) };
}

/** A range of cell `i`'s analysis (its text, then the cells above it as its prelude) in the notebook's JSON. */
function jsonRange(cells: readonly NotebookCell[], i: number, range: Range): Range {
  const own = cells[i];
  if (range.start <= own.text.length) return cellRangeInJson(own, range);
  // The prelude follows the cell's text and a newline: the cells above, joined by newlines.
  let at = own.text.length + 1;
  for (const cell of cells.slice(0, i)) {
    if (range.start <= at + cell.text.length) return cellRangeInJson(cell, { start: range.start - at, end: range.end - at });
    at += cell.text.length + 1;
  }
  return cellRangeInJson(own, { start: own.text.length, end: own.text.length });
}

/** Runs `gradlint lint`; returns the exit code (0 clean, 1 errors or too many warnings). */
export function runLint(
  patterns: string[],
  options: LintOptions,
  cwd = process.cwd(),
  write: (s: string) => void = (s) => void process.stdout.write(s),
): number {
  const { files, explicit } = collectFiles(patterns, cwd);
  const overrides: Partial<UserConfig> = {
    ...(options.scale ? { yoloScale: options.scale } : {}),
    ...(options.dialect ? { yoloDialect: options.dialect } : {}),
    ...(options.analysisBudget ? { analysisBudget: options.analysisBudget } : {}),
  };
  const configs = new Map<string, ReturnType<typeof loadSettings>>();
  const reports: FileReport[] = [];
  for (const file of files) {
    const dir = path.dirname(file);
    const loaded = configs.get(dir) ?? loadSettings(file, overrides);
    configs.set(dir, loaded);
    if (loaded.errors.length) throw new UsageError(loaded.errors.join('\n'));
    reports.push(lintFile(file, loaded.config, !!options.fix, explicit.has(file)));
  }
  if (options.format === 'json') write(formatJson(reports) + '\n');
  else if (options.format === 'sarif') write(formatSarif(reports, cwd, version()) + '\n');
  else write(formatStylish(reports, !!process.stdout.isTTY && !process.env.NO_COLOR));
  const all = reports.flatMap((r) => r.diagnostics);
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  const tooManyWarnings = options.maxWarnings !== undefined && options.maxWarnings >= 0 && warnings > options.maxWarnings;
  if (tooManyWarnings && options.format === 'text') {
    write(`gradlint found too many warnings (maximum: ${options.maxWarnings}).\n`);
  }
  return errors || tooManyWarnings ? 1 : 0;
}

function version(): string {
  try {
    // The bundle sits in dist/, the package file one level up (two from src/cli/commands).
    for (const rel of ['../package.json', '../../../package.json']) {
      const file = path.join(__dirname, rel);
      if (fs.existsSync(file)) return String(JSON.parse(fs.readFileSync(file, 'utf8')).version);
    }
  } catch {
    // Fall through: SARIF still validates with an unknown version.
  }
  return '0.0.0';
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('Report vanishing/exploding-gradient risks in model files (JS/TS, Python, notebooks, YAML, model.json).')
    .argument('[patterns...]', 'files, directories or globs (default: the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--fix', 'apply the preferred fix of every finding, in place (as the editor\'s fix-all)')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', integerAtLeast(-Infinity))
    .addOption(scaleOption())
    .addOption(dialectOption())
    .addOption(budgetOption())
    .action((patterns: string[], options: LintOptions) => {
      try {
        process.exitCode = runLint(patterns, options);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`gradlint: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
