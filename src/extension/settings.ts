// The extension's settings (package.json `contributes.configuration`), read per resource so
// folder settings apply. Kept free of core imports: reading settings must not load the engine.
import * as vscode from 'vscode';
import type { BackendName } from '../core/gradientResult';
import { isDialect, type Dialect } from '../core/yaml/dialect';

export interface ProbeSettings {
  steps: number;
  seed: number;
  /** Undefined: the contract's default for the model's source. */
  batch?: number;
  size?: number;
  /** Undefined: the best available backend. */
  backend?: BackendName;
  timeoutSeconds: number;
  maxParameters: number;
  maxLayers: number;
}

export interface Settings {
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
  probe: ProbeSettings;
}

const positiveOrUndefined = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

export function readSettings(resource?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('gradlint', resource);
  const backend = c.get<string>('probe.backend', 'auto');
  const scale = c.get<string>('yolo.scale', '');
  const dialect = c.get<string>('yolo.dialect', '');
  return {
    enable: c.get<boolean>('enable', true),
    lintOnType: c.get<boolean>('lintOnType', true),
    debounceMs: Math.max(0, c.get<number>('debounceMs', 250)),
    maxFileSizeKiB: Math.max(1, c.get<number>('maxFileSizeKiB', 256)),
    rules: { ...c.get<Record<string, string>>('rules', {}) },
    thresholds: { ...c.get<Record<string, number>>('thresholds', {}) },
    yoloScale: scale ? scale : undefined,
    yoloDialect: isDialect(dialect) ? dialect : undefined,
    analysisBudget: positiveOrUndefined(c.get('analysisBudget')),
    probe: {
      steps: Math.max(1, Math.round(c.get<number>('probe.steps', 3))),
      seed: Math.round(c.get<number>('probe.seed', 0)),
      batch: positiveOrUndefined(c.get('probe.batch')),
      size: positiveOrUndefined(c.get('probe.size')),
      backend: backend === 'auto' ? undefined : (backend as BackendName),
      timeoutSeconds: Math.max(1, c.get<number>('probe.timeoutSeconds', 120)),
      maxParameters: Math.max(1, c.get<number>('probe.maxParameters', 1e8)),
      maxLayers: Math.max(1, c.get<number>('probe.maxLayers', 4000)),
    },
  };
}
