import type { Layer, ModelGraph } from '../graph';

/** The static prediction of the probe contract's step-0 numbers for one layer. */
export interface LayerEstimate {
  layer: Layer;
  /** Predicted RMS of the kernel gradient; null for layers without kernels. */
  gradientRms: number | null;
  /** Predicted RMS of the layer's output activation. */
  activationRms: number;
  /** Pre-activation variance q at this layer (weighted layers). */
  preActivationVariance?: number;
  /** Per-layer backward factor chi = E[delta_in^2] / E[delta_out^2] through this layer. */
  backwardFactor?: number;
  /** Assumptions made because something was unknown or opaque. */
  assumptions: string[];
  /** Kernel weights of the layer (YAML: of the row), biases and normalisation not counted. */
  kernelWeights: number;
}

export interface ModelEstimate {
  model: ModelGraph;
  /** Layers (YAML: rows) in topological order, input side first. */
  layers: LayerEstimate[];
  /** log10(first weighted layer's gradient RMS / last weighted layer's), null without two weighted layers. */
  depthRatioLog10: number | null;
  /** log10 of the first weighted layer's gradient RMS. */
  firstGradientRmsLog10: number | null;
  /** Largest activation RMS over all layers, log10. */
  maxActivationRmsLog10: number;
  /**
   * Floating-point operations of one sample's forward pass, a lower bound: 2 per kernel weight
   * at each output position (biases, activations and a recurrence's time steps not counted).
   */
  forwardFlopsPerSample: number;
  assumptions: string[];
}
