// The probe's settings (the report it produces is core/gradientResult.ts, shared with the estimate).
import type { BackendName } from '../core/gradientResult';

/** The contract's experiment; every field is a setting and a CLI flag. */
export interface ProbeOptions {
  steps: number;
  seed: number;
  /** Default: 16 for tfjs models, 2 for YOLO YAML. */
  batch?: number;
  /** YOLO input size; default max(64, 2 x largest stride). */
  size?: number;
  /** SGD learning rate between steps. */
  learningRate: number;
  backend?: BackendName;
  /** Models with more parameters are refused before they are built (default 1e8). */
  maxParameters?: number;
  /** Models with more layers are refused before they are built (default 4,000). */
  maxLayers?: number;
  /** The probe's time limit: a model that cannot finish within it is refused before its first step (runProbe sets it from its timeout). */
  timeoutSeconds?: number;
}
