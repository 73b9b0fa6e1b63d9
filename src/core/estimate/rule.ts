// The shape of one layer rule: statistics in, statistics out, and the backward pass as
// multipliers of the squared output gradient (everything backward is linear in E[δ_out²]).
import type { Layer } from '../graph';
import type { ConfigReader, Signal } from './signal';

export interface LayerContext {
  layer: Layer;
  cfg: ConfigReader;
  /** Samples per batch (times time steps inside timeDistributed). */
  batch: number;
  /** Which output of a multi-output layer this node is (recurrent states). */
  outputIndex?: number;
  /** Where the rule says what it assumed. */
  assumptions: string[];
}

/** One kernel tensor: its element count and E[g²] per unit of E[δ_out²]. */
export interface KernelTerm {
  count: number;
  perDelta: number;
}

export interface NodeResult {
  out: Signal;
  /** E[δ_in,k²] = backward[k] · E[δ_out²], per input. */
  backward: number[];
  kernels: KernelTerm[];
  preActivationVariance?: number;
  /** χ for messages: the factor from this layer's output gradient to its input gradient. */
  backwardFactor?: number;
}
