// The probe's settings (package.json `contributes.configuration`), read per resource so folder
// settings apply. The lint settings are the language server's to read (src/server/settings.ts).
import * as vscode from 'vscode';
import type { BackendName } from '../core/gradientResult';

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

const positiveOrUndefined = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

export function readProbeSettings(resource?: vscode.Uri): ProbeSettings {
  const c = vscode.workspace.getConfiguration('gradlint.probe', resource);
  const backend = c.get<string>('backend', 'auto');
  return {
    steps: Math.max(1, Math.round(c.get<number>('steps', 3))),
    seed: Math.round(c.get<number>('seed', 0)),
    batch: positiveOrUndefined(c.get('batch')),
    size: positiveOrUndefined(c.get('size')),
    backend: backend === 'auto' ? undefined : (backend as BackendName),
    timeoutSeconds: Math.max(1, c.get<number>('timeoutSeconds', 120)),
    maxParameters: Math.max(1, c.get<number>('maxParameters', 1e8)),
    maxLayers: Math.max(1, c.get<number>('maxLayers', 4000)),
  };
}
