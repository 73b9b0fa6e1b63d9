import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { Option, type Command } from 'commander';
import { fileKind, Gitignores, MODEL_FILE_GLOB } from '../../core/modelFiles';
import type { ResolvedConfig, UserConfig } from '../../core/config';
import { fixAll, lint, loadSettings } from '../../lint/index';
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
      if (fileKind(abs)) {
        files.add(abs);
        explicit.add(abs);
      }
      continue;
    }
    const dir = stat?.isDirectory() ? abs : cwd;
    const glob = stat?.isDirectory() ? MODEL_FILE_GLOB : pattern.replace(/^\.\//, '');
    const found = fg.sync(glob, { cwd: dir, absolute: true, onlyFiles: true, ignore: ALWAYS_IGNORED });
    if (!found.length && !stat) throw new UsageError(`No files matching the pattern "${pattern}" were found.`);
    const ignored = gitignores(dir);
    for (const file of found) if (fileKind(file) && !ignored.ignores(file)) files.add(path.normalize(file));
  }
  return { files: [...files].sort(), explicit };
}

/** Lints (and with `fix`, rewrites) one file; model-less files found by walking give nothing. */
function lintFile(file: string, config: ResolvedConfig, fix: boolean, explicit: boolean): FileReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const message = `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
    const diagnostic: Diagnostic = { ruleId: 'parse-error', severity: 'error', message, range: { start: 0, end: 0 }, related: [], fixes: [] };
    return { filePath: file, text: '', diagnostics: [diagnostic] };
  }
  const { text: fixed, result } = fix ? fixAll(file, text, config) : { text, result: lint(file, text, config) };
  if (fixed !== text) fs.writeFileSync(file, fixed);
  const diagnostics = result.extract.models.length || explicit ? result.diagnostics : [];
  return { filePath: file, text: fixed, diagnostics };
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
    .description('Report vanishing/exploding-gradient risks in model files (JS/TS, YAML, model.json).')
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
