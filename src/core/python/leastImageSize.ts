// The smallest square image every layer of a PyTorch model turns into at least one pixel:
// DCGAN's discriminator ends in a 4×4 convolution without padding after four stride-2 ones,
// so it needs 64 pixels where twice its total stride (32) leaves that convolution nothing.

import type { GraphNode } from '../graph';

export interface SizedLayer {
  kind: string;
  config: Record<string, unknown>;
}

/** The largest entry of a number or tuple setting (images are taken square), else `fallback`. */
function largest(value: unknown, fallback: number): number {
  const values = Array.isArray(value) ? value.map(Number) : [Number(value)];
  const m = Math.max(...values.filter((v) => Number.isFinite(v)));
  return Number.isFinite(m) ? m : fallback;
}

/** What a zero padding adds along its widest axis: `p`, `[p, q]` or `[[top, bottom], [left, right]]`. */
function paddingAdded(padding: unknown): number {
  if (typeof padding === 'number') return 2 * padding;
  if (!Array.isArray(padding)) return 0;
  if (padding.every((p) => typeof p === 'number')) return largest(padding, 0) * 2;
  return Math.max(0, ...padding.map((axis) => (Array.isArray(axis) ? axis.reduce((a: number, b) => a + (Number(b) || 0), 0) : 2 * (Number(axis) || 0))));
}

/** The least input length along one axis for `out` positions out of this layer. */
function leastInput(layer: SizedLayer, out: number): number {
  const c = layer.config;
  const stride = Math.max(1, largest(c.strides, 1));
  if (/^upSampling/.test(layer.kind)) return Math.ceil(out / Math.max(1, largest(c.size, 1)));
  if (/^zeroPadding/.test(layer.kind)) return out - paddingAdded(c.padding);
  const window = /Pooling/.test(layer.kind) ? c.poolSize : c.kernelSize;
  if (window === undefined || /^global/.test(layer.kind)) return out;
  const span = Math.max(1, largest(c.dilationRate, 1)) * (largest(window, 1) - 1);
  const same = c.padding === 'same';
  const pad = typeof c.padding === 'number' || Array.isArray(c.padding) ? largest(c.padding, 0) : 0;
  if (/Transpose$/.test(layer.kind)) {
    // out = (in - 1)·s - 2p + span + outputPadding + 1
    return Math.ceil((out - 1 + 2 * pad - span - largest(c.outputPadding, 0)) / stride) + 1;
  }
  // out = floor((in + 2p - span - 1) / s) + 1; 'same' keeps ceil(in / s).
  return same ? (out - 1) * stride + 1 : (out - 1) * stride + span + 1 - 2 * pad;
}

/** Positions out of this layer for `input` positions along one axis (leastInput's forward). */
export function outputLength(layer: SizedLayer, input: number): number {
  const c = layer.config;
  const stride = Math.max(1, largest(c.strides, 1));
  if (/^upSampling/.test(layer.kind)) return input * Math.max(1, largest(c.size, 1));
  if (/^zeroPadding/.test(layer.kind)) return input + paddingAdded(c.padding);
  if (/^global/.test(layer.kind)) return 1;
  const window = /Pooling/.test(layer.kind) ? c.poolSize : c.kernelSize;
  if (window === undefined) return input;
  const span = Math.max(1, largest(c.dilationRate, 1)) * (largest(window, 1) - 1);
  const pad = typeof c.padding === 'number' || Array.isArray(c.padding) ? largest(c.padding, 0) : 0;
  if (/Transpose$/.test(layer.kind)) return (input - 1) * stride - 2 * pad + span + largest(c.outputPadding, 0) + 1;
  if (c.padding === 'same') return Math.ceil(input / stride);
  return Math.floor((input + 2 * pad - span - 1) / stride) + 1;
}

/**
 * The least image side for which no layer's output is empty, walking the nodes (in
 * topological order) back from the outputs once. Layers not known here pass lengths through.
 */
export function leastImageSize(nodes: GraphNode[], layerOf: (id: string) => SizedLayer | undefined): number {
  const need = new Map<string, number>();
  let least = 1;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const layer = layerOf(node.layer);
    const out = need.get(node.id) ?? 1;
    const input = Math.max(1, layer ? leastInput(layer, out) : out);
    if (node.inputs.length === 0) least = Math.max(least, input);
    for (const id of node.inputs) need.set(id, Math.max(need.get(id) ?? 1, input));
  }
  return least;
}
