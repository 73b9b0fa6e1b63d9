// Zero-initialised heads. An output layer whose kernel starts at zero passes no gradient back
// at step 0 (every layer before it reads exactly 0), by design: its own kernel gradient is
// not zero, so it learns at once, and from step 1 on the gradient flows. Such models are
// judged at step 1, the estimate as the measurement (judge.ts reads step 1 of a report).
import type { Layer, ModelGraph } from '../graph';
import { estimateModel, type EstimateOptions } from './estimate';
import type { ModelEstimate } from './types';
import { zeroHeads } from './zeroHeads';

/** The SGD learning rate between the probe's steps (probe-contract.md). */
export const CONTRACT_LEARNING_RATE = 0.01;

/**
 * The estimate at step 0, or, for a model with zero-initialised heads, at step 1: after one
 * SGD step each head's kernel is −lr·g, of RMS lr × its step-0 kernel gradient RMS.
 */
export function estimateAtFirstUsefulStep(model: ModelGraph, options: EstimateOptions = {}): ModelEstimate {
  const atZero = estimateModel(model, options);
  const headLayers = zeroHeads(model);
  if (headLayers.length === 0) return atZero;
  const heads = new Set(headLayers.map((l) => l.id));
  const stddev = (layer: Layer): number => CONTRACT_LEARNING_RATE * (atZero.layers.find((e) => e.layer.id === layer.id)?.gradientRms ?? 0);
  // The kernel belongs to the innermost layer of a wrapper (bidirectional, timeDistributed).
  const withKernel = (layer: Layer, std: number): Layer =>
    layer.wrapped
      ? { ...layer, wrapped: withKernel(layer.wrapped, std) }
      : { ...layer, config: { ...layer.config, kernelInitializer: { name: 'randomNormal', mean: 0, stddev: std } } };
  // A head inside a nested model (a Sequential added as the last layer) is stepped where it is.
  const stepped = (layer: Layer): Layer =>
    heads.has(layer.id)
      ? withKernel(layer, stddev(layer))
      : layer.kind === 'model' && layer.model
        ? { ...layer, model: { ...layer.model, layers: layer.model.layers.map(stepped) } }
        : layer;
  const atOne = estimateModel({ ...model, layers: model.layers.map(stepped) }, options);
  // The layers are the model's own (ranges, names, initializers as written); the figures are step 1's.
  return {
    ...atOne,
    model,
    layers: atOne.layers.map((e, i) => ({ ...e, layer: atZero.layers[i]?.layer ?? e.layer })),
    assumptions: [...atOne.assumptions, `zero-initialised output layer(s) ${headLayers.map((l) => l.name).join(', ')}: estimated at step 1, after one SGD step (lr ${CONTRACT_LEARNING_RATE})`],
  };
}
