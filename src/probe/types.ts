// The probe's result, exactly the JSON of ../shared/reference/probe-contract.md.
// `gradlint probe --format json` prints it; the heatmap renders it; the estimate's
// JSON (`gradlint estimate`) has the same shape with one value per array.

export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';

export interface ProbeLayerResult {
  name: string;
  kind: string;
  /** 1-based line of the layer (YAML: of the row). */
  line: number;
  /** 0-based YAML row, null for tfjs models. */
  row: number | null;
  /** Kernel-gradient RMS per step; null for layers without kernels. */
  gradientRms: number[] | null;
  /** Output activation RMS per step. */
  activationRms: number[];
}

export interface ProbeModelResult {
  name: string;
  line: number;
  /** Probe only. */
  backend?: BackendName;
  layers: ProbeLayerResult[];
  /** log10(first weighted layer's gradient RMS / last weighted layer's) at step 0. */
  depthRatioLog10: number | null;
}

export interface ProbeFileResult {
  file: string;
  models: ProbeModelResult[];
}

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
}
