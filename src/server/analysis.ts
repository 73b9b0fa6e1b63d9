// One document's analysis: the linter (src/lint) on its text under the settings in force.
import { fixAll, lint, loadSettings, readProjectFile } from '../lint/index';
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

export function analyse(file: string, text: string, version: number, settings: LintSettings, prelude?: string): Analysis {
  const started = performance.now();
  const { config, errors } = loadSettings(file, overrides(settings));
  const result = lint(file, text, config, { prelude, readFile: readProjectFile });
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

/** The text after fix-all (the core's policy and loop, as `gradlint lint --fix`), on the settings of the analysis. */
export function fixAllText(a: Analysis, settings: LintSettings): string {
  return fixAll(a.file, a.text, loadSettings(a.file, overrides(settings)).config, undefined, { prelude: a.prelude, readFile: readProjectFile }).text;
}

/** One line for the log about what was analysed. */
export function describe(name: string, a: Analysis): string {
  const models = a.models.map((m) => m.name).join(', ') || 'none';
  const config = a.configFile ? `, settings from ${a.configFile}` : '';
  return `Linted ${name} (version ${a.version}) in ${a.ms.toFixed(1)} ms: models ${models}; ${a.diagnostics.length} finding(s)${config}.`;
}
