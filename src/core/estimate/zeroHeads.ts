// Which output layers start with a zero kernel (zero-initialised heads). Its own small module:
// the heatmap's page bundles the judgement, which needs this but not the estimate.
import type { Layer, ModelGraph } from '../graph';

const core = (layer: Layer): Layer => (layer.wrapped ? core(layer.wrapped) : layer);

/** A kernel initialised to exactly zero: `zeros`, or `constant` of value 0. */
function zeroKernel(layer: Layer): boolean {
  const spec = core(layer).config.kernelInitializer;
  const name = typeof spec === 'string' ? spec : spec && typeof spec === 'object' && !Array.isArray(spec) ? spec.name : undefined;
  if (name === 'zeros') return true;
  return name === 'constant' && typeof spec === 'object' && spec !== null && !Array.isArray(spec) && (spec.value ?? 0) === 0;
}

/** Nested models deeper than any real one are not searched (a cycle of models must end). */
const MAX_NESTING = 32;

/** The model's output layers whose kernel starts at zero; an output that is a nested model contributes its own. */
export function zeroHeads(model: ModelGraph, depth = 0): Layer[] {
  // Most models have no zero kernel and no nested model at all: then no output needs looking up.
  if (!model.layers.some((l) => zeroKernel(l) || l.kind === 'model')) return [];
  const byId = new Map(model.layers.map((l) => [l.id, l]));
  const nodes = new Map(model.nodes.map((n) => [n.id, n]));
  const heads = model.outputs.map((id) => byId.get(nodes.get(id)?.layer ?? ''));
  return heads.flatMap((l) => {
    if (!l) return [];
    if (l.kind === 'model' && l.model && depth < MAX_NESTING) return zeroHeads(l.model, depth + 1);
    return zeroKernel(l) ? [l] : [];
  });
}

