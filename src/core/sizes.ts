// Sizes beyond any real model (a dimension, a unit count, a kernel of more than 2^31) are
// reported at the argument and clamped, so that nothing downstream (the estimate, the rules,
// the probe) loops over or allocates them.
import { MAX_PLAUSIBLE_SIZE } from './budget';
import type { ExtractResult, Layer, ModelGraph, Problem, Value } from './graph';

/** Configuration keys holding sizes, counts or shapes (tfjs camelCase). */
const SIZE_KEYS = new Set([
  'units', 'filters', 'kernelSize', 'strides', 'dilationRate', 'poolSize', 'inputShape', 'batchInputShape',
  'inputDim', 'outputDim', 'inputLength', 'depthMultiplier', 'size', 'targetShape', 'cropping', 'padding', 'n', 'dims',
  'numHeads', 'keyDim', 'valueDim', 'groups',
]);

const tooLarge = (v: Value): boolean => typeof v === 'number' && v > MAX_PLAUSIBLE_SIZE;

function clampValue(v: Value): Value {
  if (tooLarge(v)) return MAX_PLAUSIBLE_SIZE;
  return Array.isArray(v) ? v.map(clampValue) : v;
}

function hasTooLarge(v: Value): boolean {
  return tooLarge(v) || (Array.isArray(v) && v.some(hasTooLarge));
}

function clampLayer(layer: Layer, problems: Problem[], seen: Set<object>): void {
  if (seen.has(layer)) return;
  seen.add(layer);
  // A loop over keys, not Object.entries: this runs on every layer of every file.
  for (const key in layer.config) {
    if (!SIZE_KEYS.has(key)) continue;
    const value = layer.config[key];
    if (!hasTooLarge(value)) continue;
    layer.config[key] = clampValue(value);
    // An input made from a layer's inputShape is reported there, once.
    if (layer.kind === 'input' && !layer.props[key]) continue;
    problems.push({
      message: `${key} of ${layer.name} is larger than any real model uses (over 2^31); analysed as ${MAX_PLAUSIBLE_SIZE}`,
      range: layer.props[key]?.value ?? layer.range,
      severity: 'warning',
      code: 'implausible-size',
    });
  }
  if (layer.wrapped) clampLayer(layer.wrapped, problems, seen);
  if (layer.model) clampModel(layer.model, problems, seen);
}

function clampModel(model: ModelGraph, problems: Problem[], seen: Set<object>): void {
  if (seen.has(model)) return;
  seen.add(model);
  if (model.inputShape?.some((d) => d !== null && tooLarge(d))) {
    model.inputShape = model.inputShape.map((d) => (d !== null && tooLarge(d) ? MAX_PLAUSIBLE_SIZE : d));
  }
  for (const layer of model.layers) clampLayer(layer, problems, seen);
}

/** Clamps every implausible size of the file's models in place and reports each at its argument. */
export function clampSizes(result: ExtractResult): ExtractResult {
  const seen = new Set<object>();
  const problems: Problem[] = [];
  for (const model of result.models) clampModel(model, problems, seen);
  if (problems.length > 0) result.problems.push(...problems);
  return result;
}
