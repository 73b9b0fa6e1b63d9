// Settings: rule severities and the thresholds the rules declare (ConfigSchema). Read from
// the nearest `.gradlintrc.json` (or a `gradlint` key in package.json) found by walking up
// from the linted file; user settings (the extension's, the CLI's flags) sit below it, since
// a workspace file wins.

import * as fs from 'fs';
import * as path from 'path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Severity } from './diagnostic';
import type { AnyRule, ThresholdSpec } from './rule';
import { DIALECTS, isDialect, type Dialect } from './yaml/dialect';

export type RuleSetting = Severity | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'hint', 'info', 'warning', 'error'];

/** Every threshold in force, by name (`plainRnnMaxSteps`); each rule declares its own (Rule.thresholds). */
export type Thresholds = Readonly<Record<string, number>>;

/** What settings may hold: the rules that exist and the thresholds they declare. */
export interface ConfigSchema {
  ruleIds: readonly string[];
  thresholds: Readonly<Record<string, ThresholdSpec>>;
}

/** The schema of a set of rules. Threshold names are one namespace: a name two rules declare is a bug. */
export function configSchema(rules: readonly AnyRule[]): ConfigSchema {
  const thresholds: Record<string, ThresholdSpec> = {};
  for (const rule of rules) {
    for (const [key, spec] of Object.entries(rule.thresholds ?? {})) {
      if (key in thresholds) throw new Error(`threshold "${key}" is declared twice (${rule.id})`);
      thresholds[key] = spec;
    }
  }
  return { ruleIds: rules.map((r) => r.id), thresholds };
}

/** What a person writes: in `.gradlintrc.json`, package.json's `gradlint` key, or user settings. */
export interface UserConfig {
  rules: Record<string, RuleSetting>;
  thresholds: Record<string, number>;
  /** YOLO scale letter for YAML files whose name does not carry one. */
  yoloScale: string;
  /** The repository whose parse_model reads YOLO YAML files, instead of recognising it from each file. */
  yoloDialect: Dialect;
  /** Work units one file's analysis may spend (see core/budget.ts). */
  analysisBudget: number;
}

export interface ResolvedConfig {
  /** Only the rules given a severity explicitly; the others keep their own (rule-chosen) severity. */
  rules: Record<string, RuleSetting>;
  thresholds: Thresholds;
  yoloScale?: string;
  yoloDialect?: Dialect;
  analysisBudget?: number;
  /** The file the settings came from, if any. */
  configFile?: string;
}

/** The defaults: every threshold at its declared default, every rule at its own severity. */
export function defaultConfig(schema: ConfigSchema): ResolvedConfig {
  return { rules: {}, thresholds: Object.fromEntries(Object.entries(schema.thresholds).map(([k, v]) => [k, v.default])) };
}

const RC_FILE = '.gradlintrc.json';
/** The files settings are read from (findConfigFile); the editor watches them. */
export const SETTINGS_FILE_NAMES: readonly string[] = [RC_FILE, 'package.json'];
const KNOWN_KEYS = ['rules', 'thresholds', 'yoloScale', 'yoloDialect', 'analysisBudget'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks raw settings and keeps only the valid parts; every problem is reported with the
 * key it is about (`rules.vanishing-gradient`), prefixed by where it came from.
 */
export function validateUserConfig(raw: unknown, origin: string, schema: ConfigSchema): { config: Partial<UserConfig>; errors: string[] } {
  const errors: string[] = [];
  const config: Partial<UserConfig> = {};
  if (!isObject(raw)) return { config, errors: [`${origin}: settings must be an object`] };
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) errors.push(`${origin}: unknown key "${key}" (known: ${KNOWN_KEYS.join(', ')})`);
  }
  if (raw.rules !== undefined) {
    if (!isObject(raw.rules)) errors.push(`${origin}: "rules" must be an object of rule id to severity`);
    else {
      config.rules = {};
      for (const [id, setting] of Object.entries(raw.rules)) {
        if (!schema.ruleIds.includes(id)) {
          errors.push(`${origin}: unknown rule "rules.${id}" (known: ${schema.ruleIds.join(', ')})`);
        } else if (!RULE_SETTINGS.includes(setting as RuleSetting)) {
          errors.push(`${origin}: "rules.${id}" is ${JSON.stringify(setting)}; use one of ${RULE_SETTINGS.join(', ')}`);
        } else config.rules[id] = setting as RuleSetting;
      }
    }
  }
  if (raw.thresholds !== undefined) {
    if (!isObject(raw.thresholds)) errors.push(`${origin}: "thresholds" must be an object of threshold name to number`);
    else {
      config.thresholds = {};
      for (const [key, value] of Object.entries(raw.thresholds)) {
        if (!Object.hasOwn(schema.thresholds, key)) {
          errors.push(`${origin}: unknown threshold "thresholds.${key}" (known: ${Object.keys(schema.thresholds).join(', ')})`);
        } else if (typeof value !== 'number' || !Number.isFinite(value)) {
          errors.push(`${origin}: "thresholds.${key}" is ${JSON.stringify(value)}; it must be a number`);
        } else config.thresholds[key] = value;
      }
    }
  }
  if (raw.yoloScale !== undefined) {
    if (typeof raw.yoloScale !== 'string' || !/^[nsmlx]$/.test(raw.yoloScale)) {
      errors.push(`${origin}: "yoloScale" is ${JSON.stringify(raw.yoloScale)}; use one of n, s, m, l, x`);
    } else config.yoloScale = raw.yoloScale;
  }
  if (raw.yoloDialect !== undefined) {
    if (!isDialect(raw.yoloDialect)) {
      errors.push(`${origin}: "yoloDialect" is ${JSON.stringify(raw.yoloDialect)}; use one of ${DIALECTS.join(', ')}`);
    } else config.yoloDialect = raw.yoloDialect;
  }
  if (raw.analysisBudget !== undefined) {
    if (typeof raw.analysisBudget !== 'number' || !(raw.analysisBudget >= 1)) {
      errors.push(`${origin}: "analysisBudget" is ${JSON.stringify(raw.analysisBudget)}; it must be a number of at least 1`);
    } else config.analysisBudget = raw.analysisBudget;
  }
  return { config, errors };
}

function readJson(file: string): { value?: unknown; error?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { error: `${file}: cannot be read (${err instanceof Error ? err.message : String(err)})` };
  }
  const parseErrors: ParseError[] = [];
  const value: unknown = parseJsonc(text, parseErrors, { allowTrailingComma: true });
  if (parseErrors.length) {
    return { error: `${file}: not valid JSON (${printParseErrorCode(parseErrors[0].error)} at offset ${parseErrors[0].offset})` };
  }
  return { value };
}

/** The nearest settings file above `filePath`: `.gradlintrc.json`, or package.json with a `gradlint` key. */
export function findConfigFile(filePath: string): { file: string; raw: unknown; error?: string } | undefined {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    const rc = path.join(dir, RC_FILE);
    if (fs.existsSync(rc)) {
      const { value, error } = readJson(rc);
      return { file: rc, raw: value, error };
    }
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const { value } = readJson(pkg);
      // A broken package.json is npm's business, not ours; only our key counts.
      if (isObject(value) && value.gradlint !== undefined) return { file: pkg, raw: value.gradlint };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Settings over the defaults; later layers win (e.g. user settings, then the settings file). */
export function resolveConfig(schema: ConfigSchema, ...layers: Partial<UserConfig>[]): ResolvedConfig {
  const config: ResolvedConfig = defaultConfig(schema);
  const thresholds: Record<string, number> = { ...config.thresholds };
  for (const layer of layers) {
    Object.assign(config.rules, layer.rules);
    Object.assign(thresholds, layer.thresholds);
    if (layer.yoloScale !== undefined) config.yoloScale = layer.yoloScale;
    if (layer.yoloDialect !== undefined) config.yoloDialect = layer.yoloDialect;
    if (layer.analysisBudget !== undefined) config.analysisBudget = layer.analysisBudget;
  }
  return { ...config, thresholds };
}

/** Layers settings: defaults, then `overrides` (user settings), then the settings file. */
export function loadConfig(filePath: string, overrides: Partial<UserConfig>, schema: ConfigSchema): { config: ResolvedConfig; errors: string[] } {
  const user = validateUserConfig(overrides, 'settings', schema);
  const found = findConfigFile(filePath);
  const errors = [...user.errors];
  let fromFile: Partial<UserConfig> = {};
  if (found?.error) errors.push(found.error);
  else if (found) {
    const checked = validateUserConfig(found.raw, found.file, schema);
    fromFile = checked.config;
    errors.push(...checked.errors);
  }
  return { config: { ...resolveConfig(schema, user.config, fromFile), configFile: found?.file }, errors };
}
