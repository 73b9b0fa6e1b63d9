// gradlint's linter: the core (front ends, estimate, fixes, settings) with gradlint's rules.
// The CLI and the extension both lint through here; the core itself knows no rule.
import { FIX_ALL, lintAndFix, lintText, type FixFilter, type LintResult } from '../core/lint';
import { configSchema, defaultConfig, loadConfig, resolveConfig, type ResolvedConfig, type UserConfig } from '../core/config';
import { RULES } from '../rules/index';
import type { SourceContext } from '../core/extract';
export { readProjectFile } from './readFile';

export type { FixFilter, LintResult };

/** The rule ids and the thresholds the rules declare: what settings may hold. */
export const SCHEMA = configSchema(RULES);
export const DEFAULT_CONFIG = defaultConfig(SCHEMA);

/**
 * Lints one file's text with every gradlint rule. Never throws. `context`: a Python cell's
 * `prelude` (the cells above it), and `readFile` for the files tfjs code imports by relative
 * path (readProjectFile reads them from disk).
 */
export function lint(file: string, text: string, config: ResolvedConfig = DEFAULT_CONFIG, context: SourceContext = {}): LintResult {
  return lintText(file, text, config, RULES, context);
}

/** The text with fix-all applied (FIX_ALL: gradlint's one policy), and its lint result. */
export function fixAll(
  file: string,
  text: string,
  config: ResolvedConfig = DEFAULT_CONFIG,
  filter: FixFilter = FIX_ALL,
  context: SourceContext = {},
): { text: string; result: LintResult } {
  return lintAndFix(file, text, config, RULES, filter, context);
}

/** The settings for `filePath`: defaults, then `overrides` (user settings), then the nearest settings file. */
export function loadSettings(filePath: string, overrides: Partial<UserConfig> = {}): { config: ResolvedConfig; errors: string[] } {
  return loadConfig(filePath, overrides, SCHEMA);
}

/** Settings over the defaults, without reading any file; later layers win. */
export const resolveSettings = (...layers: Partial<UserConfig>[]): ResolvedConfig => resolveConfig(SCHEMA, ...layers);
export { LintCache } from './cache';
