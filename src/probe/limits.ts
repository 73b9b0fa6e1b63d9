// The probe's limits, checked on the graph before anything is built or allocated: the layer
// count (tfjs builds and differentiates recursively: 10,000 layers overflow its stack), the
// parameter count (tfjs allocates every weight as it builds) and the time the steps take at
// least, from the estimate's shapes and the batch asked for, else one sample (./time.ts checks it
// again on the built model and its batch). Each refusal names its limit and the setting and
// flag that raise it. Memory for activations (./memory.ts) needs the built model: it is checked
// after building, before the first step.
import { estimateModel } from '../core/estimate/estimate';
import type { ModelEstimate } from '../core/estimate/types';
import type { Layer, ModelGraph } from '../core/graph';
import type { BackendName } from '../core/gradientResult';
import { TooManyParametersError } from './initializers';
import { checkProbeTime } from './time';

/** Thrown when a model has more layers than the probe will build. */
export class TooManyLayersError extends Error {
  constructor(
    readonly layers: number,
    readonly cap: number,
  ) {
    super(`the model has ${layers} layers, more than the probe's cap of ${cap} (setting gradlint.probe.maxLayers, flag --max-layers)`);
  }
}

/** Layers tfjs would build: nested models and wrapped layers count with their insides. */
function countLayers(layers: Layer[], seen = new Set<Layer>()): number {
  let n = 0;
  for (const layer of layers) {
    if (seen.has(layer)) continue;
    seen.add(layer);
    n += 1;
    if (layer.wrapped) n += countLayers([layer.wrapped], seen);
    if (layer.model) n += countLayers(layer.model.layers, seen);
  }
  return n;
}

export interface ProbeLimits {
  maxLayers: number;
  maxParameters: number;
  /** The time limit, and what decides the time: the steps, the batch (at least), the backend, a YOLO input size. */
  time?: { steps: number; batch: number; backend: BackendName; seconds: number; size?: number };
}

/**
 * Refuses a graph over the limits before it is built. The parameter count is the static
 * estimate's kernel weights (a lower bound: biases and normalisation are not counted), so a
 * graph the builder could not finish is still measured against the cap.
 */
export function checkProbeLimits(graph: ModelGraph, limits: ProbeLimits): void {
  const layers = countLayers(graph.layers);
  if (layers > limits.maxLayers) throw new TooManyLayersError(layers, limits.maxLayers);
  const time = limits.time;
  // Estimated at most once, and only when a count or the time needs it.
  let estimate: ModelEstimate | undefined;
  const estimated = () => (estimate ??= estimateModel(graph, { size: time?.size }));
  const params = graph.params ?? estimated().layers.reduce((sum, l) => sum + l.kernelWeights, 0);
  if (params > limits.maxParameters) throw new TooManyParametersError(params, limits.maxParameters);
  if (time) checkProbeTime(estimated().forwardFlopsPerSample, time.batch, time.steps, time.backend, time.seconds);
}
