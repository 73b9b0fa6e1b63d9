// The shape of one layer's transfer: statistics in, statistics out, and the backward pass as
// multipliers of the squared output gradient (everything backward is linear in E[δ_out²]).
// (Named so as not to be confused with the lint rules of src/rules.)
import type { Layer } from '../graph';
import type { ConfigReader, Signal } from './signal';

export interface LayerContext {
  layer: Layer;
  cfg: ConfigReader;
  /** Samples per batch (times time steps inside timeDistributed). */
  batch: number;
  /** Which output of a multi-output layer this node is (recurrent states). */
  outputIndex?: number;
  /** Where the transfer says what it assumed. */
  assumptions: string[];
  /** The inputs after the first, which recurrent layers take as initial states (`initialState: [h, c]`). */
  initialState?: Signal[];
}

/**
 * One kernel tensor: its element count and E[g²] = perDelta·E[δ_out²] + perShared·S[δ_out],
 * where S is the squared part of the output gradient shared by the whole batch (per unit).
 * The shared part adds coherently over the batch when the layer's inputs have a mean.
 */
export interface KernelTerm {
  count: number;
  perDelta: number;
  perShared?: number;
  /**
   * perDelta when the output gradient sums to zero over the batch (it comes from batch
   * normalisation): the inputs' batch means then drop out of the kernel gradient.
   */
  perDeltaCentred?: number;
}

/**
 * Batch normalisation's backward pass subtracts the batch mean: its input gradient sums to
 * zero over the batch and positions ('creates'). Linear, position-summing steps keep that
 * ('keeps'); anything multiplying by data-dependent factors breaks it (absent).
 */
export type Centring = 'creates' | 'keeps';

export interface NodeResult {
  out: Signal;
  /** E[δ_in,k²] = backward[k] · E[δ_out²], per input. */
  backward: number[];
  /** The same for the batch-shared part S[δ]; defaults to `backward`. */
  backwardShared?: number[];
  kernels: KernelTerm[];
  preActivationVariance?: number;
  /** χ for messages: the factor from this layer's output gradient to its input gradient. */
  backwardFactor?: number;
  centring?: Centring;
  /**
   * A merge of two functions of one tensor (x + f(x), x ⊙ f(x)): the gradients its two paths
   * bring back to where they split are correlated, and `factor` times the output's squared
   * gradient is what reaches it beyond what the backward pass gives the paths one by one (it
   * may be negative; see tie.ts).
   */
  tiedBackward?: TiedBackward;
  /**
   * Multi-output layers (a recurrent layer's returned states h, c): per output index k ≥ 1, what
   * a consumer taking output k (`GraphNode.inputOutputs`) sees, and how a gradient reaching it
   * goes back. Index 0 is the node's own output above.
   */
  stateOutputs?: (StateOutput | undefined)[];
}

export interface TiedBackward {
  source: Signal;
  factor: number;
}

/** One extra output of a multi-output layer: its statistics and its backward multipliers and kernel terms. */
export interface StateOutput {
  out: Signal;
  backward: number[];
  kernels: KernelTerm[];
}

/** How one layer kind transfers statistics forward and the squared gradient back. */
export type Transfer = (ctx: LayerContext, inputs: Signal[]) => NodeResult;
