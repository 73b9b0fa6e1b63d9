// gradlint's linter: the core (front ends, estimate, fixes, settings) with gradlint's rules.
// The CLI and the extension both lint through here; the core itself knows no rule.
import { FIX_ALL, lintAndFix, lintText, type FixFilter, type LintResult } from '../core/lint';
import { configSchema, defaultConfig, loadConfig, resolveConfig, type ResolvedConfig, type UserConfig } from '../core/config';
import { RULES } from '../rules/index';

export type { FixFilter, LintResult };

/** The rule ids and the thresholds the rules declare: what settings may hold. */
export const SCHEMA = configSchema(RULES);
export const DEFAULT_CONFIG = defaultConfig(SCHEMA);

/** Lints one file's text with every gradlint rule (a Python cell after its `prelude`). Never throws. */
export function lint(file: string, text: string, config: ResolvedConfig = DEFAULT_CONFIG, prelude?: string): LintResult {
  return lintText(file, text, config, RULES, prelude);
}

/** The text with fix-all applied (FIX_ALL: gradlint's one policy), and its lint result. */
export function fixAll(file: string, text: string, config: ResolvedConfig = DEFAULT_CONFIG, filter: FixFilter = FIX_ALL, prelude?: string): { text: string; result: LintResult } {
  return lintAndFix(file, text, config, RULES, filter, prelude);
}

/** The settings for `filePath`: defaults, then `overrides` (user settings), then the nearest settings file. */
export function loadSettings(filePath: string, overrides: Partial<UserConfig> = {}): { config: ResolvedConfig; errors: string[] } {
  return loadConfig(filePath, overrides, SCHEMA);
}

/** Settings over the defaults, without reading any file; later layers win. */
export const resolveSettings = (...layers: Partial<UserConfig>[]): ResolvedConfig => resolveConfig(SCHEMA, ...layers);
