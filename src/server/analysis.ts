// One document's analysis: the linter (src/lint) on its text under the settings in force.
import { fixAll, lint, loadSettings, readProjectFile, type LintCache } from '../lint/index';
import type { ReadFile } from '../core/tfjs/modules';
import type { Thresholds, UserConfig } from '../core/config';
import type { Diagnostic } from '../core/diagnostic';
import type { ModelEstimate } from '../core/estimate/types';
import type { ModelGraph } from '../core/graph';
import type { LintSettings } from './settings';

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
  /** The files its code imports that it looked for (open editors' text or the disk's, found or not): a change there changes this analysis. */
  imports: string[];
  /** Models whose analysis was reused from the document's last lint (their text and graph unchanged). */
  reused: number;
  ms: number;
}

function overrides(settings: LintSettings): Partial<UserConfig> {
  return {
    rules: settings.rules as UserConfig['rules'],
    thresholds: settings.thresholds,
    ...(settings.yoloScale ? { yoloScale: settings.yoloScale } : {}),
    ...(settings.yoloDialect ? { yoloDialect: settings.yoloDialect } : {}),
    ...(settings.analysisBudget ? { analysisBudget: settings.analysisBudget } : {}),
  };
}

/** How a document is read: the text of the cells above (a notebook cell), its imports' reader, the cache of its earlier lints. */
export interface AnalysisContext {
  prelude?: string;
  readFile?: ReadFile;
  cache?: LintCache;
}

export function analyse(file: string, text: string, version: number, settings: LintSettings, { prelude, readFile = readProjectFile, cache }: AnalysisContext = {}): Analysis {
  const started = performance.now();
  const { config, errors } = loadSettings(file, overrides(settings));
  const imports = new Set<string>();
  // Missing files too: the analysis changes when one is created.
  const reading: ReadFile = (path) => {
    imports.add(path);
    return readFile(path);
  };
  const context = { prelude, readFile: reading };
  const result = cache ? cache.lint(file, text, config, context) : lint(file, text, config, context);
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
    imports: [...imports],
    reused: cache?.models.counts.reused ?? 0,
    ms: performance.now() - started,
  };
}

/** The text after fix-all (the core's policy and loop, as `gradlint lint --fix`), on the settings of the analysis. */
export function fixAllText(a: Analysis, settings: LintSettings, readFile: ReadFile = readProjectFile): string {
  return fixAll(a.file, a.text, loadSettings(a.file, overrides(settings)).config, undefined, { prelude: a.prelude, readFile }).text;
}

/** One line for the log about what was analysed. */
export function describe(name: string, a: Analysis): string {
  const models = a.models.map((m) => m.name).join(', ') || 'none';
  const config = a.configFile ? `, settings from ${a.configFile}` : '';
  const reused = a.reused ? ` (${a.reused} of ${a.models.length} unchanged, not analysed again)` : '';
  return `Linted ${name} (version ${a.version}) in ${a.ms.toFixed(1)} ms: models ${models}${reused}; ${a.diagnostics.length} finding(s)${config}.`;
}
