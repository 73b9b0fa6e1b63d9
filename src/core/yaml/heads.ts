// Ultralytics heads (ultralytics/nn/modules/head.py): per-level conv branches whose raw
// training outputs are flattened to anchors and concatenated over levels.

import type { GraphBuilder, Tensor } from './builder';
import { int } from './blocks';

export interface HeadOptions {
  nc: number;
  regMax: number;
  end2end: boolean;
  /** Detect.legacy: true unless the model uses C3k2, A2C2f or C2fCIB. */
  legacy: boolean;
}

/** A per-level branch: builds layers for one level; `offPath` builds the detached one-to-one copy. */
type Branch = (name: string, x: Tensor, offPath: boolean) => Tensor;

/** Runs a branch on every level (and its one-to-one copy), returning the concatenated anchors output. */
function levels(b: GraphBuilder, name: string, xs: Tensor[], branch: Branch, end2end: boolean, copyName: string): Tensor {
  const flat = xs.map((x, i) => b.flatten(`${name}.${i}.flat`, branch(`${name}.${i}`, x, false)));
  if (end2end) xs.forEach((x, i) => branch(`${copyName}.${i}`, x, true));
  return flat.length === 1 ? flat[0] : b.concat(`${name}.out`, flat, 1);
}

/** Conv 3×3 → Conv 3×3 → nn.Conv2d 1×1: the box, mask, keypoint and angle branches. */
const twoConvs = (b: GraphBuilder, hidden: number, out: number): Branch => (name, x, off) => {
  const y = b.conv(`${name}.1`, b.conv(`${name}.0`, x, hidden, { k: 3 }, off), hidden, { k: 3 }, off);
  return b.conv2d(`${name}.2`, y, out, {}, off ? null : [y]);
};

/** Detect's class branch: legacy two 3×3 Convs, or (11/12/26, v10) depthwise-separable pairs. */
function classBranch(b: GraphBuilder, o: HeadOptions, c3: number, depthwise: 'legacy' | 'dw' | 'grouped'): Branch {
  if (depthwise === 'legacy') return twoConvs(b, c3, o.nc);
  return (name, x, off) => {
    const pairConv = (nm: string, t: Tensor, c: number): Tensor => {
      const dw = depthwise === 'dw' ? b.dwConv(`${nm}.0`, t, t.channels, { k: 3 }, off) : b.conv(`${nm}.0`, t, t.channels, { k: 3, g: t.channels }, off);
      return b.conv(`${nm}.1`, dw, c, {}, off);
    };
    const y = pairConv(`${name}.1`, pairConv(`${name}.0`, x, c3), c3);
    return b.conv2d(`${name}.2`, y, o.nc, {}, off ? null : [y]);
  };
}

/** Detect(nc, reg_max, end2end, ch) → [boxes, scores]. */
export function detect(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, variant: 'detect' | 'v10' = 'detect'): Tensor[] {
  const ch0 = xs[0].channels;
  const c2 = Math.max(16, int(ch0 / 4), o.regMax * 4);
  const c3 = Math.max(ch0, Math.min(o.nc, 100));
  const boxes = levels(b, `${name}.cv2`, xs, twoConvs(b, c2, 4 * o.regMax), o.end2end, `${name}.one2one_cv2`);
  const kind = variant === 'v10' ? 'grouped' : o.legacy ? 'legacy' : 'dw';
  const scores = levels(b, `${name}.cv3`, xs, classBranch(b, o, c3, kind), o.end2end, `${name}.one2one_cv3`);
  if (o.regMax > 1) {
    b.layer('dfl', `${name}.dfl.conv`, { regMax: o.regMax, trainable: false }, null, o.regMax, {}, 'Applied only at inference; frozen.');
  }
  return [boxes, scores];
}

/** An extra per-level branch (mask coefficients, keypoints, angles) of Segment/Pose/OBB. */
export function extraBranch(b: GraphBuilder, name: string, xs: Tensor[], hidden: number, out: number, end2end: boolean): Tensor {
  return levels(b, `${name}.cv4`, xs, twoConvs(b, hidden, out), end2end, `${name}.one2one_cv4`);
}

/** Proto(c1, c_=256, c2=32): Conv 3×3 → ConvTranspose 2×2 → Conv 3×3 → Conv 1×1. */
export function proto(b: GraphBuilder, name: string, x: Tensor, c: number, c2: number): Tensor {
  const up = b.convTranspose(`${name}.upsample`, b.conv(`${name}.cv1`, x, c, { k: 3 }), c, 2, 2, 0);
  return b.conv(`${name}.cv3`, b.conv(`${name}.cv2`, up, c, { k: 3 }), c2);
}

/** Segment(nc, nm=32, npr=256, ...) → [boxes, scores, mask coefficients, protos]. */
export function segment(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, nm: number, npr: number): Tensor[] {
  const protos = proto(b, `${name}.proto`, xs[0], npr, nm);
  const c4 = Math.max(int(xs[0].channels / 4), nm);
  const masks = extraBranch(b, name, xs, c4, nm, o.end2end);
  return [...detect(b, name, xs, o), masks, protos];
}

/**
 * Segment26: Proto26 fuses every level into the first (1×1 refine, nearest resize, add)
 * before the protos, and trains an auxiliary semantic head on the fused map (an output).
 */
export function segment26(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, nm: number, npr: number): Tensor[] {
  const base = xs[0];
  let feat = base;
  xs.slice(1).forEach((x, i) => {
    const refined = b.conv(`${name}.proto.feat_refine.${i}`, x, base.channels);
    const resized: Tensor = { ...base, node: b.layer('resize', `${name}.proto.resize.${i}`, { interpolation: 'nearest' }, [refined, base], 0) };
    feat = b.merge('add', `${name}.proto.fuse_add.${i}`, [feat, resized]);
  });
  const protos = proto(b, `${name}.proto`, b.conv(`${name}.proto.feat_fuse`, feat, npr, { k: 3 }), npr, nm);
  const semsegHidden = b.conv(`${name}.proto.semseg.1`, b.conv(`${name}.proto.semseg.0`, feat, npr, { k: 3 }), npr, { k: 3 });
  const semseg = b.conv2d(`${name}.proto.semseg.2`, semsegHidden, o.nc);
  const c4 = Math.max(int(base.channels / 4), nm);
  const masks = extraBranch(b, name, xs, c4, nm, o.end2end);
  return [...detect(b, name, xs, o), masks, protos, semseg];
}

/** Pose(nc, kpt_shape) and OBB(nc, ne): Detect plus one branch of `out` channels per anchor. */
export function detectWithBranch(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, out: number): Tensor[] {
  const c4 = Math.max(int(xs[0].channels / 4), out);
  const extra = extraBranch(b, name, xs, c4, out, o.end2end);
  return [...detect(b, name, xs, o), extra];
}

/** Classify(c1, c2, k=1, s=1, p=None, g=1): Conv to 1280 → global pool → dropout → Linear. */
export function classify(b: GraphBuilder, name: string, x: Tensor, c2: number, k = 1, s = 1, p: number | null = null, g = 1): Tensor {
  const y = b.conv(`${name}.conv`, x, 1280, { k, s, p, g });
  const pooled: Tensor = { ...y, node: b.layer('globalAveragePooling2d', `${name}.pool`, {}, [y], 0) };
  const dropped: Tensor = { ...pooled, node: b.layer('dropout', `${name}.drop`, { rate: 0 }, [pooled], 0) };
  return b.dense(`${name}.linear`, dropped, c2);
}

/**
 * WorldDetect(nc, embed=512, with_bn=False): Detect whose class branch ends in `embed`
 * channels scored against text embeddings by a (BN)ContrastiveHead, an opaque identity here.
 */
export function worldDetect(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, embed: number, withBn: boolean): Tensor[] {
  const ch0 = xs[0].channels;
  const c2 = Math.max(16, int(ch0 / 4), o.regMax * 4);
  const c3 = Math.max(ch0, Math.min(o.nc, 100));
  const boxes = levels(b, `${name}.cv2`, xs, twoConvs(b, c2, 4 * o.regMax), false, `${name}.one2one_cv2`);
  const contrastive: Branch = (nm, x, off) => {
    const embedded = twoConvs(b, c3, embed)(nm, x, off);
    const params = withBn ? 2 * embed + 2 : 2;
    const level = nm.slice(nm.lastIndexOf('.') + 1);
    return b.opaque(`${name}.cv4.${level}`, [embedded], withBn ? 'BNContrastiveHead' : 'ContrastiveHead', params, 'Scores image embeddings against text embeddings; gradlint passes the embeddings through.');
  };
  const scores = levels(b, `${name}.cv3`, xs, contrastive, false, `${name}.one2one_cv3`);
  if (o.regMax > 1) b.layer('dfl', `${name}.dfl.conv`, { regMax: o.regMax, trainable: false }, null, o.regMax, {}, 'Applied only at inference; frozen.');
  return [boxes, scores];
}
