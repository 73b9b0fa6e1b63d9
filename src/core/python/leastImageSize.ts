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
  // A loop, not Math.max(...values.filter(...)): this reads every setting of every convolution.
  let m = -Infinity;
  for (const v of Array.isArray(value) ? value : [value]) {
    const n = Number(v);
    if (Number.isFinite(n)) m = Math.max(m, n);
  }
  return Number.isFinite(m) ? m : fallback;
}

/** What a zero padding adds along its widest axis: `p`, `[p, q]` or `[[top, bottom], [left, right]]`. */
function paddingAdded(padding: unknown): number {
  if (typeof padding === 'number') return 2 * padding;
  if (!Array.isArray(padding)) return 0;
  if (padding.every((p) => typeof p === 'number')) return largest(padding, 0) * 2;
  return Math.max(0, ...padding.map((axis) => (Array.isArray(axis) ? axis.reduce((a: number, b) => a + (Number(b) || 0), 0) : 2 * (Number(axis) || 0))));
}

/** What a layer does along one spatial axis, read once from its configuration. */
type AxisMap =
  | { op: 'upsample'; factor: number }
  | { op: 'pad'; added: number }
  | { op: 'global' }
  | { op: 'pass' }
  | { op: 'window'; stride: number; span: number; pad: number; same: boolean; transpose: boolean; outputPadding: number };

function axisMap(layer: SizedLayer): AxisMap {
  const c = layer.config;
  if (/^upSampling/.test(layer.kind)) return { op: 'upsample', factor: Math.max(1, largest(c.size, 1)) };
  if (/^zeroPadding/.test(layer.kind)) return { op: 'pad', added: paddingAdded(c.padding) };
  if (/^global/.test(layer.kind)) return { op: 'global' };
  const window = /Pooling/.test(layer.kind) ? c.poolSize : c.kernelSize;
  if (window === undefined) return { op: 'pass' };
  return {
    op: 'window',
    stride: Math.max(1, largest(c.strides, 1)),
    span: Math.max(1, largest(c.dilationRate, 1)) * (largest(window, 1) - 1),
    pad: typeof c.padding === 'number' || Array.isArray(c.padding) ? largest(c.padding, 0) : 0,
    same: c.padding === 'same',
    transpose: /Transpose$/.test(layer.kind),
    outputPadding: largest(c.outputPadding, 0),
  };
}

/** The least input length along one axis for `out` positions out of this layer. */
function leastInput(layer: SizedLayer, out: number): number {
  const m = axisMap(layer);
  if (m.op === 'upsample') return Math.ceil(out / m.factor);
  if (m.op === 'pad') return out - m.added;
  if (m.op !== 'window') return out;
  // out = (in - 1)·s - 2p + span + outputPadding + 1
  if (m.transpose) return Math.ceil((out - 1 + 2 * m.pad - m.span - m.outputPadding) / m.stride) + 1;
  // out = floor((in + 2p - span - 1) / s) + 1; 'same' keeps ceil(in / s).
  return m.same ? (out - 1) * m.stride + 1 : (out - 1) * m.stride + m.span + 1 - 2 * m.pad;
}

/** Positions out of this layer for `input` positions along one axis (leastInput's forward). */
export function outputLength(layer: SizedLayer, input: number): number {
  const m = axisMap(layer);
  if (m.op === 'upsample') return input * m.factor;
  if (m.op === 'pad') return input + m.added;
  if (m.op === 'global') return 1;
  if (m.op === 'pass') return input;
  if (m.transpose) return (input - 1) * m.stride - 2 * m.pad + m.span + m.outputPadding + 1;
  return m.same ? Math.ceil(input / m.stride) : Math.floor((input + 2 * m.pad - m.span - 1) / m.stride) + 1;
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
