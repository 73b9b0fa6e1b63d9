// The `gradlint` settings section as the server reads it (LSP workspace/configuration): VS
// Code's settings, or what another editor's LSP client sends. Anything missing or of the wrong
// type takes the default, so a partial `settings = { gradlint = { ... } }` is enough.

import { isDialect, type Dialect } from '../core/yaml/dialect';

export interface LintSettings {
  enable: boolean;
  lintOnType: boolean;
  debounceMs: number;
  /** Files larger than this are not analysed. */
  maxFileSizeKiB: number;
  /** Rule id → severity or 'off', as the user wrote it. */
  rules: Record<string, string>;
  /** Threshold name → number. */
  thresholds: Record<string, number>;
  /** YOLO scale letter, undefined for "from the file name". */
  yoloScale?: string;
  /** YOLO YAML dialect, undefined for "recognised per file". */
  yoloDialect?: Dialect;
  /** Work units one file's analysis may spend; undefined: the core's default. */
  analysisBudget?: number;
}

export const DEFAULT_SETTINGS: LintSettings = {
  enable: true,
  lintOnType: true,
  debounceMs: 250,
  maxFileSizeKiB: 256,
  rules: {},
  thresholds: {},
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const pick = <T>(v: unknown, type: 'boolean' | 'number', fallback: T): T => (typeof v === type ? (v as T) : fallback);

/** The lint settings in `raw` (the `gradlint` section), defaults for what it lacks. */
export function lintSettings(raw: unknown): LintSettings {
  const c = isObject(raw) ? raw : {};
  const yolo = isObject(c.yolo) ? c.yolo : {};
  const scale = typeof yolo.scale === 'string' && yolo.scale ? yolo.scale : undefined;
  const dialect = typeof yolo.dialect === 'string' && isDialect(yolo.dialect) ? yolo.dialect : undefined;
  const budget = typeof c.analysisBudget === 'number' && c.analysisBudget > 0 ? c.analysisBudget : undefined;
  return {
    enable: pick(c.enable, 'boolean', DEFAULT_SETTINGS.enable),
    lintOnType: pick(c.lintOnType, 'boolean', DEFAULT_SETTINGS.lintOnType),
    debounceMs: Math.max(0, pick(c.debounceMs, 'number', DEFAULT_SETTINGS.debounceMs)),
    maxFileSizeKiB: Math.max(1, pick(c.maxFileSizeKiB, 'number', DEFAULT_SETTINGS.maxFileSizeKiB)),
    // Passed on as written: the core validates them and names a bad key.
    rules: isObject(c.rules) ? ({ ...c.rules } as Record<string, string>) : {},
    thresholds: isObject(c.thresholds) ? ({ ...c.thresholds } as Record<string, number>) : {},
    ...(scale ? { yoloScale: scale } : {}),
    ...(dialect ? { yoloDialect: dialect } : {}),
    ...(budget ? { analysisBudget: budget } : {}),
  };
}
