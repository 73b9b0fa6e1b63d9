// Settings: rule severities and every rule threshold. Read from the nearest `.gradlintrc.json`
// (or a `gradlint` key in package.json) found by walking up from the linted file; user
// settings (the extension's, the CLI's flags) sit below it, since a workspace file wins.

import * as fs from 'fs';
import * as path from 'path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Severity } from './diagnostic';
import { RULES } from '../rules/index';

export type RuleSetting = Severity | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'hint', 'info', 'warning', 'error'];

/** Every number a rule compares against, with what it means and its default. */
export const THRESHOLDS = {
  vanishingDepthRatioLog10: {
    default: -3,
    description: 'vanishing-gradient: flag when log10(first weighted layer gradient RMS / last one) is below this.',
  },
  vanishingFirstGradientLog10: {
    default: -6,
    description: 'vanishing-gradient: flag when log10 of the first weighted layer gradient RMS is below this.',
  },
  explodingDepthRatioLog10: {
    default: 5,
    description:
      'exploding-gradient: flag when the depth ratio (log10) is above this. Not used alone for normalised networks, whose batch normalisation amplifies gradients toward the input by design.',
  },
  explodingFirstGradientLog10: {
    default: 3,
    description: 'exploding-gradient: flag when log10 of the first weighted layer gradient RMS is above this.',
  },
  explodingActivationLog10: {
    default: 3,
    description: 'exploding-gradient: flag when log10 of any layer output RMS is above this.',
  },
  saturatingStackLength: {
    default: 4,
    description: 'saturating-stack: consecutive saturating activations (sigmoid, tanh, hardSigmoid, softsign) without normalisation.',
  },
  saturatingSurvivalDecades: {
    default: 1,
    description:
      'saturating-stack: information instead of a warning when the estimate has the gradient lose less than this many decades across the stack.',
  },
  deepPlainStackLayers: {
    default: 12,
    description: 'deep-plain-stack: weighted layers on one path without a skip connection (information).',
  },
  deepPlainStackWarningLayers: {
    default: 20,
    description: 'deep-plain-stack: from this many layers the finding is a warning.',
  },
  initializerMismatchFactor: {
    default: 1.5,
    description:
      "initializer-mismatch: flag when a kernel initializer's variance differs from the one its activation needs by more than this factor.",
  },
  initializerMismatchWarningDecades: {
    default: 3,
    description:
      'initializer-mismatch: a warning (not information) when the mismatched layers together shift the gradient RMS by at least this many decades.',
  },
  missingNormalizationLayers: {
    default: 8,
    description: 'missing-normalization: weighted layers in a row without batch or layer normalisation.',
  },
  plainRnnMaxSteps: {
    default: 20,
    description: 'plain-rnn-long-sequence: most time steps a simpleRNN may run over.',
  },
  narrowReluSum: {
    default: 1,
    description: 'narrow-deep-relu: flag when the sum of 1/width over a relu stack is above this (Hanin 2018).',
  },
  residualBlocks: {
    default: 4,
    description: 'residual-without-normalization: additive skips without normalisation or down-scaling.',
  },
} as const satisfies Record<string, { default: number; description: string }>;

export type ThresholdKey = keyof typeof THRESHOLDS;
export type Thresholds = Record<ThresholdKey, number>;

/** What a person writes: in `.gradlintrc.json`, package.json's `gradlint` key, or user settings. */
export interface UserConfig {
  rules: Record<string, RuleSetting>;
  thresholds: Partial<Thresholds>;
  /** YOLO scale letter for YAML files whose name does not carry one. */
  yoloScale: string;
  /** Work units one file's analysis may spend (see core/budget.ts). */
  analysisBudget: number;
}

export interface ResolvedConfig {
  /** Only the rules given a severity explicitly; the others keep their own (rule-chosen) severity. */
  rules: Record<string, RuleSetting>;
  thresholds: Thresholds;
  yoloScale?: string;
  analysisBudget?: number;
  /** The file the settings came from, if any. */
  configFile?: string;
}

export const DEFAULT_CONFIG: ResolvedConfig = {
  rules: {},
  thresholds: Object.fromEntries(Object.entries(THRESHOLDS).map(([k, v]) => [k, v.default])) as Thresholds,
};

const RC_FILE = '.gradlintrc.json';
const KNOWN_KEYS = ['rules', 'thresholds', 'yoloScale', 'analysisBudget'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks raw settings and keeps only the valid parts; every problem is reported with the
 * key it is about (`rules.vanishing-gradient`), prefixed by where it came from.
 */
export function validateUserConfig(raw: unknown, origin: string): { config: Partial<UserConfig>; errors: string[] } {
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
        if (!RULES.some((r) => r.id === id)) {
          errors.push(`${origin}: unknown rule "rules.${id}" (known: ${RULES.map((r) => r.id).join(', ')})`);
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
        if (!Object.hasOwn(THRESHOLDS, key)) {
          errors.push(`${origin}: unknown threshold "thresholds.${key}" (known: ${Object.keys(THRESHOLDS).join(', ')})`);
        } else if (typeof value !== 'number' || !Number.isFinite(value)) {
          errors.push(`${origin}: "thresholds.${key}" is ${JSON.stringify(value)}; it must be a number`);
        } else config.thresholds[key as ThresholdKey] = value;
      }
    }
  }
  if (raw.yoloScale !== undefined) {
    if (typeof raw.yoloScale !== 'string' || !/^[nsmlx]$/.test(raw.yoloScale)) {
      errors.push(`${origin}: "yoloScale" is ${JSON.stringify(raw.yoloScale)}; use one of n, s, m, l, x`);
    } else config.yoloScale = raw.yoloScale;
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
export function resolveConfig(...layers: Partial<UserConfig>[]): ResolvedConfig {
  const config: ResolvedConfig = { rules: {}, thresholds: { ...DEFAULT_CONFIG.thresholds } };
  for (const layer of layers) {
    Object.assign(config.rules, layer.rules);
    Object.assign(config.thresholds, layer.thresholds);
    if (layer.yoloScale !== undefined) config.yoloScale = layer.yoloScale;
    if (layer.analysisBudget !== undefined) config.analysisBudget = layer.analysisBudget;
  }
  return config;
}

/** Layers settings: defaults, then `overrides` (user settings), then the settings file. */
export function loadConfig(filePath: string, overrides: Partial<UserConfig> = {}): { config: ResolvedConfig; errors: string[] } {
  const user = validateUserConfig(overrides, 'settings');
  const found = findConfigFile(filePath);
  const errors = [...user.errors];
  let fromFile: Partial<UserConfig> = {};
  if (found?.error) errors.push(found.error);
  else if (found) {
    const checked = validateUserConfig(found.raw, found.file);
    fromFile = checked.config;
    errors.push(...checked.errors);
  }
  return { config: { ...resolveConfig(user.config, fromFile), configFile: found?.file }, errors };
}
