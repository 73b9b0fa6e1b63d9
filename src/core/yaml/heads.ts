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

/** Per-level outputs flattened to anchors and concatenated over levels, as the head returns them. */
function anchorsOf(b: GraphBuilder, name: string, perLevel: Tensor[]): Tensor {
  const flat = perLevel.map((t, i) => b.flatten(`${name}.${i}.flat`, t));
  return flat.length === 1 ? flat[0] : b.concat(`${name}.out`, flat, 1);
}

/** Runs a branch on every level (and its one-to-one copy), returning the concatenated anchors output. */
function levels(b: GraphBuilder, name: string, xs: Tensor[], branch: Branch, end2end: boolean, copyName: string): Tensor {
  const perLevel = xs.map((x, i) => branch(`${name}.${i}`, x, false));
  if (end2end) xs.forEach((x, i) => branch(`${copyName}.${i}`, x, true));
  return anchorsOf(b, name, perLevel);
}

/** Conv 3×3 → Conv 3×3 → nn.Conv2d 1×1: the box, mask, keypoint and angle branches. */
const twoConvs = (b: GraphBuilder, hidden: number, out: number): Branch => (name, x, off) => {
  const y = b.conv(`${name}.1`, b.conv(`${name}.0`, x, hidden, { k: 3 }, off), hidden, { k: 3 }, off);
  return b.conv2d(`${name}.2`, y, out, {}, off ? null : [y]);
};

/** Detect's class branch: legacy two 3×3 Convs, or (11/12/26, v10) depthwise-separable pairs. */
function classBranch(b: GraphBuilder, o: HeadOptions, c3: number, depthwise: 'legacy' | 'dw' | 'grouped', out = o.nc): Branch {
  if (depthwise === 'legacy') return twoConvs(b, c3, out);
  return (name, x, off) => {
    const pairConv = (nm: string, t: Tensor, c: number): Tensor => {
      const dw = depthwise === 'dw' ? b.dwConv(`${nm}.0`, t, t.channels, { k: 3 }, off) : b.conv(`${nm}.0`, t, t.channels, { k: 3, g: t.channels }, off);
      return b.conv(`${nm}.1`, dw, c, {}, off);
    };
    const y = pairConv(`${name}.1`, pairConv(`${name}.0`, x, c3), c3);
    return b.conv2d(`${name}.2`, y, out, {}, off ? null : [y]);
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
function extraBranch(b: GraphBuilder, name: string, xs: Tensor[], hidden: number, out: number, end2end: boolean): Tensor {
  return levels(b, `${name}.cv4`, xs, twoConvs(b, hidden, out), end2end, `${name}.one2one_cv4`);
}

/**
 * Proto(c1, c_=256, c2=32): Conv 3×3 → ConvTranspose 2×2 → Conv 3×3 → Conv 1×1 (the YOLOv5
 * repository's Proto upsamples with nn.Upsample(2, 'nearest') instead).
 */
export function proto(b: GraphBuilder, name: string, x: Tensor, c: number, c2: number, upsampling: 'transpose' | 'nearest' = 'transpose'): Tensor {
  const y = b.conv(`${name}.cv1`, x, c, { k: 3 });
  const up = upsampling === 'nearest' ? b.upsample(`${name}.upsample`, y, 2, 'nearest') : b.convTranspose(`${name}.upsample`, y, c, 2, 2, 0);
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
  const [protos, semseg] = proto26(b, `${name}.proto`, xs, o.nc, nm, npr);
  const c4 = Math.max(int(xs[0].channels / 4), nm);
  const masks = extraBranch(b, name, xs, c4, nm, o.end2end);
  return [...detect(b, name, xs, o), masks, protos, semseg];
}

/** Proto26(ch, c_, c2, nc): multi-scale fusion, protos, and the auxiliary semantic map. */
function proto26(b: GraphBuilder, name: string, xs: Tensor[], nc: number, nm: number, npr: number): [Tensor, Tensor] {
  const base = xs[0];
  let feat = base;
  xs.slice(1).forEach((x, i) => {
    const refined = b.conv(`${name}.feat_refine.${i}`, x, base.channels);
    const resized: Tensor = { ...base, node: b.layer('resize', `${name}.resize.${i}`, { interpolation: 'nearest' }, [refined, base], 0) };
    feat = b.merge('add', `${name}.fuse_add.${i}`, [feat, resized]);
  });
  const protos = proto(b, name, b.conv(`${name}.feat_fuse`, feat, npr, { k: 3 }), npr, nm);
  const semsegHidden = b.conv(`${name}.semseg.1`, b.conv(`${name}.semseg.0`, feat, npr, { k: 3 }), npr, { k: 3 });
  return [protos, b.conv2d(`${name}.semseg.2`, semsegHidden, nc)];
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

/** Parameters of SAVPE(ch, c3, embed), the visual-prompt encoder (off the text-free training path). */
function savpeParams(ch: number[], c3: number, embed: number): number {
  const conv = (i: number, o: number, k: number): number => i * o * k * k + 2 * o;
  const conv2d = (i: number, o: number, k: number): number => i * o * k * k + o;
  const levels = ch.reduce((sum, x) => sum + conv(x, c3, 3) + conv(c3, c3, 3) + conv(x, c3, 1), 0);
  return levels + conv2d(3 * c3, embed, 1) + conv2d(3 * c3, 16, 3) + conv2d(1, 16, 3) + conv(32, 16, 3) + conv2d(16, 16, 3);
}

/**
 * YOLOEDetect(nc, embed=512, with_bn=True): Detect whose class branch ends in `embed`
 * channels scored by BNContrastiveHeads against prompt embeddings (opaque identities), plus
 * the text re-parameterisation (RepRTA) and visual prompt encoder (SAVPE), off the graph path.
 */
export function yoloeDetect(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, embed: number, withBn: boolean): Tensor[] {
  const ch0 = xs[0].channels;
  const c2 = Math.max(16, int(ch0 / 4), o.regMax * 4);
  const c3 = Math.max(ch0, Math.min(o.nc, 100));
  const head = withBn ? 2 * embed + 2 : 2;
  const boxes = levels(b, `${name}.cv2`, xs, twoConvs(b, c2, 4 * o.regMax), o.end2end, `${name}.one2one_cv2`);
  const embedBranch = classBranch(b, o, c3, o.legacy ? 'legacy' : 'dw', embed);
  const contrastive: Branch = (nm, x, off) => {
    const embedded = embedBranch(nm, x, off);
    const level = nm.slice(nm.lastIndexOf('.') + 1);
    const headName = `${name}.${off ? 'one2one_cv4' : 'cv4'}.${level}`;
    const note = 'Scores embeddings against prompt embeddings; gradlint passes the embeddings through.';
    if (off) {
      b.layer('opaque', headName, { module: 'BNContrastiveHead', params: head }, null, head, {}, note);
      return embedded;
    }
    return b.opaque(headName, [embedded], 'BNContrastiveHead', head, note);
  };
  const scores = levels(b, `${name}.cv3`, xs, contrastive, o.end2end, `${name}.one2one_cv3`);
  const reprta = embed * 4 * embed + 4 * embed + 2 * embed * embed + embed;
  b.layer('opaque', `${name}.reprta`, { module: 'Residual(SwiGLUFFN)', params: reprta }, null, reprta, {}, 'Re-parameterises text embeddings; not on the image path.');
  const savpe = savpeParams(xs.map((x) => x.channels), c3, embed);
  b.layer('opaque', `${name}.savpe`, { module: 'SAVPE', params: savpe }, null, savpe, {}, 'Encodes visual prompts; not on the text-prompt training path.');
  if (o.regMax > 1) b.layer('dfl', `${name}.dfl.conv`, { regMax: o.regMax, trainable: false }, null, o.regMax, {}, 'Applied only at inference; frozen.');
  return [boxes, scores];
}

/** YOLOESegment(nc, nm, npr, embed, with_bn) and YOLOESegment26 (Proto26): YOLOEDetect plus masks. */
export function yoloeSegment(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, nm: number, npr: number, embed: number, withBn: boolean, multiScale: boolean): Tensor[] {
  const protoOutputs = multiScale ? proto26(b, `${name}.proto`, xs, o.nc, nm, npr) : [proto(b, `${name}.proto`, xs[0], npr, nm)];
  const c5 = Math.max(int(xs[0].channels / 4), nm);
  const masks = levels(b, `${name}.cv5`, xs, twoConvs(b, c5, nm), o.end2end, `${name}.one2one_cv5`);
  return [...yoloeDetect(b, name, xs, o, embed, withBn), masks, ...protoOutputs];
}

/** Parameters of Pose26's RealNVP flow: 6 scale and 6 translate nets of Linear(2,64)-Linear(64,64)-Linear(64,2). */
const REALNVP_PARAMS = 12 * (2 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2);

/**
 * Pose26(nc, kpt_shape): Detect plus a shared two-Conv keypoint trunk feeding a keypoint
 * conv and a sigma conv (both trained); the RealNVP flow only scores residuals in the loss.
 */
export function pose26(b: GraphBuilder, name: string, xs: Tensor[], o: HeadOptions, kpt: [number, number]): Tensor[] {
  const nk = kpt[0] * kpt[1];
  const nkSigma = kpt[0] * 2;
  const c4 = Math.max(int(xs[0].channels / 4), kpt[0] * (kpt[1] + 2));
  const branches = (prefix: string, off: boolean): [Tensor[], Tensor[]] => {
    const kpts: Tensor[] = [];
    const sigma: Tensor[] = [];
    xs.forEach((x, i) => {
      const f = b.conv(`${name}.${prefix}cv4.${i}.1`, b.conv(`${name}.${prefix}cv4.${i}.0`, x, c4, { k: 3 }, off), c4, { k: 3 }, off);
      kpts.push(b.conv2d(`${name}.${prefix}cv4_kpts.${i}`, f, nk, {}, off ? null : [f]));
      sigma.push(b.conv2d(`${name}.${prefix}cv4_sigma.${i}`, f, nkSigma, {}, off ? null : [f]));
    });
    return [kpts, sigma];
  };
  const [kpts, sigma] = branches('', false);
  if (o.end2end) branches('one2one_', true);
  b.layer('opaque', `${name}.flow_model`, { module: 'RealNVP', params: REALNVP_PARAMS }, null, REALNVP_PARAMS, {}, 'Scores keypoint residuals inside the loss; not on the network path.');
  return [...detect(b, name, xs, o), anchorsOf(b, `${name}.cv4_kpts`, kpts), anchorsOf(b, `${name}.cv4_sigma`, sigma)];
}

/** SemanticSegment(nc, ch): Conv 3×3 → Conv2d(nc) on the first input; the same auxiliary head on the second (training). */
export function semanticSegment(b: GraphBuilder, name: string, xs: Tensor[], nc: number): Tensor[] {
  const mid = xs[0].channels;
  const head = (nm: string, x: Tensor): Tensor => {
    const y = b.conv(`${nm}.0`, x, mid, { k: 3 });
    return b.conv2d(`${nm}.1`, y, nc);
  };
  const logits = head(`${name}.classifier`, xs[0]);
  return xs.length > 1 ? [logits, head(`${name}.aux_head`, xs[1])] : [logits];
}

/**
 * Depth(c_mid, ch): each level projected by a 1×1 Conv to c_mid; from the coarsest level down,
 * bilinear ×2, plus the finer level, two 3×3 Convs; then Conv 3×3 (c_mid/2), ConvTranspose
 * 2×2/2, Conv 3×3 (c_mid/4) and nn.Conv2d 1×1 to one channel with bias 0.182. The graph ends at
 * that log-depth: the exp(clamp(−4, 5)) after it has no layer kind.
 */
export function depth(b: GraphBuilder, name: string, xs: Tensor[], cMid: number): Tensor {
  const feats = xs.map((x, i) => b.conv(`${name}.proj.${i}`, x, cMid));
  let out = feats[feats.length - 1];
  for (let i = feats.length - 2; i >= 0; i--) {
    const sum = b.merge('add', `${name}.add.${i}`, [b.upsample(`${name}.up.${i}`, out, 2, 'bilinear'), feats[i]]);
    out = b.conv(`${name}.refine.${i}.1`, b.conv(`${name}.refine.${i}.0`, sum, cMid, { k: 3 }), cMid, { k: 3 });
  }
  const [half, quarter] = [Math.trunc(cMid / 2), Math.trunc(cMid / 4)];
  const up = b.convTranspose(`${name}.head.1`, b.conv(`${name}.head.0`, out, half, { k: 3 }), half, 2, 2, 0);
  const logDepth = b.conv2d(`${name}.head.3`, b.conv(`${name}.head.2`, up, quarter, { k: 3 }), 1);
  b.layers[b.layers.length - 1].config.biasInitializer = { name: 'constant', value: 0.182 };
  return logDepth;
}
