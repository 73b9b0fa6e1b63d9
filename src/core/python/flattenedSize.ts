// The image side a PyTorch model's own numbers imply: a Linear after a flatten states how many
// features it takes (the CIFAR tutorial's nn.Linear(16 * 5 * 5, 120)), and only one square image
// side makes the layers before it flatten to that many (32 there).

import type { GraphNode } from '../graph';
import { outputLength, type SizedLayer } from './leastImageSize';

/** Image sides tried; a model whose side is larger is left to the other guesses. */
const MAX_SIDE = 1024;
/** Layer applications before the flatten worth searching (sides × applications stays bounded). */
const MAX_UPSTREAM = 2_000;

export interface FlattenedSize {
  side: number;
  /** The Linear whose input decided it, and its features: channels × spatial side². */
  linear: string;
  features: number;
}

/**
 * The least square image side for which the first flatten followed by a Linear of declared
 * input features gives it exactly that many, or undefined. `nodes` are in topological order.
 */
export function flattenedSize(
  nodes: GraphNode[],
  layerOf: (id: string) => (SizedLayer & { name: string }) | undefined,
  declaredInput: (layerId: string) => number | undefined,
): FlattenedSize | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const consumers = new Map<string, GraphNode[]>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const flatten = nodes.find((n) => layerOf(n.layer)?.kind === 'flatten' && n.inputs.length === 1);
  const next = flatten && consumers.get(flatten.id)?.[0];
  const linear = next && layerOf(next.layer);
  const features = next && linear?.kind === 'dense' ? declaredInput(next.layer) : undefined;
  const channels = flatten && channelsAt(flatten.inputs[0], byId, layerOf);
  if (!flatten || !linear || !features || !channels || features % channels !== 0) return undefined;
  const upstream = nodes.slice(0, nodes.indexOf(flatten));
  if (upstream.length > MAX_UPSTREAM) return undefined;
  const sideAt = (input: number): number => {
    const length = new Map<string, number>();
    for (const n of upstream) {
      const layer = layerOf(n.layer);
      const inLength = n.inputs.length ? Math.max(...n.inputs.map((i) => length.get(i) ?? input)) : input;
      length.set(n.id, layer ? outputLength(layer, inLength) : inLength);
    }
    return length.get(flatten.inputs[0]) ?? input;
  };
  const wanted = features / channels;
  for (let side = 1; side <= MAX_SIDE; side++) {
    const out = sideAt(side);
    if (out * out === wanted && sideAt(2 * side) !== out) return { side, linear: linear.name, features };
    if (out * out > wanted) return undefined;
  }
  return undefined;
}

/** The channels of the nearest layer before `id` that sets them (a convolution's filters). */
function channelsAt(id: string, byId: Map<string, GraphNode>, layerOf: (id: string) => SizedLayer | undefined): number | undefined {
  for (let node = byId.get(id), steps = 0; node && steps < byId.size; node = byId.get(node.inputs[0] ?? ''), steps++) {
    const filters = layerOf(node.layer)?.config.filters;
    if (typeof filters === 'number') return filters;
  }
  return undefined;
}
