// Anchor-based heads of the YOLOv5 and YOLOv7 repositories: one 1×1 nn.Conv2d (with bias)
// per level giving na·(nc + 5 [+ extra]) channels; training output is each level flattened
// to (B, H·W, na·no) and concatenated over levels.

import type { Value } from '../../graph';
import type { GraphBuilder, Tensor } from '../builder';

/** Anchors per level: a count (`anchors: 3`) or per-level [w, h, ...] lists, as parse_model reads them. */
export function anchorsPerLevel(anchors: Value): number {
  if (typeof anchors === 'number') return Math.max(1, Math.floor(anchors));
  const firstLevel = Array.isArray(anchors) ? anchors[0] : undefined;
  return Array.isArray(firstLevel) ? Math.max(1, Math.floor(firstLevel.length / 2)) : 3;
}

/** The per-level output convs `m.i`, concatenated over levels. */
export function anchorDetect(b: GraphBuilder, name: string, xs: Tensor[], outputsPerAnchor: number, na: number, conv = 'm'): Tensor {
  const flat = xs.map((x, i) => b.flatten(`${name}.${conv}.${i}.flat`, b.conv2d(`${name}.${conv}.${i}`, x, na * outputsPerAnchor)));
  return flat.length === 1 ? flat[0] : b.concat(`${name}.out`, flat, 1);
}
