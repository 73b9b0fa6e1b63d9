// The gradient report, exactly the JSON of ../shared/reference/probe-contract.md.
// `gradlint probe --format json` prints it; the heatmap renders it; the estimate's
// JSON (`gradlint estimate`) has the same shape with one value per array. In the core
// because both the estimate (core) and the probe produce it.

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

/** A model of the file the probe could not build while it probed the others. */
export interface UnprobedModel {
  model: string;
  reason: string;
}

export interface ProbeFileResult {
  file: string;
  models: ProbeModelResult[];
  /** Probe only, present when some model of the file could not be built. */
  unprobed?: UnprobedModel[];
}
