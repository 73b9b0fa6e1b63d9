// The module names Ultralytics model YAMLs use, how parse_model rewrites their arguments
// (its `base_modules` / `repeat_modules` sets and special branches) and how each is
// expanded into inner layers. Arguments reaching `build` are the Python constructor's.

import type { Value } from '../graph';
import type { GraphBuilder, Tensor } from './builder';
import * as blk from './blocks';
import * as heads from './heads';
import { gcd } from './builder';
import { activationModule, type ActivationSpec } from './activation';
import { torchVision } from './torchvision';

/** How parse_model treats the module's arguments and output channels. */
export type Category =
  | 'base' // c1 = ch[f], c2 = make_divisible(min(args[0], max_ch) * width, 8), args = [c1, c2, ...args[1:]]
  | 'head' // Detect family: args += [reg_max, end2end, ch list]; c2 unchanged
  | 'passthrough' // c2 = ch[f]
  | 'concat' // c2 = sum(ch[x] for x in f)
  | 'special' // handled by name in expand.ts
  | 'listHead'; // YOLOv5/v7/v9 heads: args += [ch list] (see anchorsArg, widthScaledArg)

export interface BuildContext {
  nc: number;
  regMax: number;
  end2end: boolean;
  legacy: boolean;
  /** Reports an argument (by position as written) that was capped or not understood. */
  cap(value: number, limit: number, what: string): number;
}

export interface ModuleInfo {
  category: Category;
  /** Python `m in repeat_modules`: the repeats count becomes args[2]. */
  repeat?: boolean;
  /** Python `m in frozenset({C3k2, A2C2f, C2fCIB})`: clears the Detect legacy flag. */
  modern?: boolean;
  /** listHead: an anchor count in args[1] becomes per-level anchor lists (YOLOv5/v7). */
  anchorsArg?: boolean;
  /** listHead: the argument parse_model scales by the width multiple (the protos of Segment). */
  widthScaledArg?: number;
  /** passthrough: output channels other than the input's (YOLOv7 ReOrg: 4·c1), from c1 and the arguments as written. */
  outChannels?: (c1: number, args: Value[]) => number;
  build(b: GraphBuilder, name: string, xs: Tensor[], args: Value[], ctx: BuildContext): Tensor | Tensor[];
}

/** Largest inner repeat count analysed (a repeats value of 1e9 must never allocate). */
export const MAX_REPEATS = 32;

export const num = (a: Value[], i: number, fallback: number): number => (typeof a[i] === 'number' ? (a[i] as number) : fallback);
const numOrNull = (a: Value[], i: number): number | null => (typeof a[i] === 'number' ? (a[i] as number) : null);
export const bool = (a: Value[], i: number, fallback: boolean): boolean =>
  a[i] === undefined || a[i] === null ? fallback : typeof a[i] === 'boolean' ? (a[i] as boolean) : Boolean(a[i]);
export const numList = (v: Value, fallback: number[]): number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : typeof v === 'number' ? [v] : fallback;
export const count = (ctx: BuildContext, a: Value[], i: number, fallback: number): number =>
  ctx.cap(Math.max(1, Math.floor(num(a, i, fallback))), MAX_REPEATS, 'inner repeat count');
/** A base module's act argument: True/False, or an nn module written as a string (read as the default). */
const act = (a: Value[], i: number): boolean => a[i] !== false;

export const x0 = (xs: Tensor[]): Tensor => xs[0];
export const c2Of = (a: Value[]): number => num(a, 1, 0);

export const base = (build: ModuleInfo['build'], extra: Partial<ModuleInfo> = {}): ModuleInfo => ({ category: 'base', build, ...extra });
export const repeated = (build: ModuleInfo['build'], extra: Partial<ModuleInfo> = {}): ModuleInfo => base(build, { repeat: true, ...extra });

/** Output of a module that Ultralytics computes but gradlint does not model inside. */
const notModelled = (category: Category, what: string): ModuleInfo => ({
  category,
  build: (b, name, xs, _a) => b.opaque(name, xs, name, undefined, `${what} is not expanded by gradlint; treated as identity.`),
});

/** TorchVision rows other than an unwrapped ResNet (torchvision.ts says which are modelled). */
const TORCHVISION_OTHER = notModelled('special', 'TorchVision (a downloaded torchvision model other than an unwrapped ResNet)');

export type ModuleTable = Record<string, ModuleInfo>;

export const ULTRALYTICS_MODULES: ModuleTable = {
  Conv: base((b, n, xs, a) => b.conv(n, x0(xs), c2Of(a), { k: num(a, 2, 1), s: num(a, 3, 1), p: numOrNull(a, 4), g: num(a, 5, 1), d: num(a, 6, 1), act: act(a, 7) })),
  DWConv: base((b, n, xs, a) => b.dwConv(n, x0(xs), c2Of(a), { k: num(a, 2, 1), s: num(a, 3, 1), d: num(a, 4, 1), act: act(a, 5) })),
  GhostConv: base((b, n, xs, a) => blk.ghostConv(b, n, x0(xs), c2Of(a), num(a, 2, 1), num(a, 3, 1), num(a, 4, 1), act(a, 5))),
  ConvTranspose: base((b, n, xs, a) => {
    const bn = bool(a, 5, true);
    const y = b.convTranspose(`${n}.conv_transpose`, x0(xs), c2Of(a), num(a, 2, 2), num(a, 3, 2), num(a, 4, 0), !bn);
    return b.activation(`${n}.act`, bn ? b.batchNorm(`${n}.bn`, y) : y, act(a, 6));
  }),
  'nn.ConvTranspose2d': base((b, n, xs, a) =>
    b.convTranspose(n, x0(xs), c2Of(a), num(a, 2, 1), num(a, 3, 1), num(a, 4, 0), bool(a, 7, true), { outputPadding: num(a, 5, 0), g: num(a, 6, 1) }),
  ),
  // DWConvTranspose2d(c1, c2, k, s, p1, p2): nn.ConvTranspose2d with groups = gcd(c1, c2), bias.
  DWConvTranspose2d: base((b, n, xs, a) =>
    b.convTranspose(n, x0(xs), c2Of(a), num(a, 2, 1), num(a, 3, 1), num(a, 4, 0), true, { outputPadding: num(a, 5, 0), g: gcd(x0(xs).channels, c2Of(a)) }),
  ),
  Bottleneck: base((b, n, xs, a) => {
    const k = numList(a[4] ?? [3, 3], [3, 3]);
    return blk.bottleneck(b, n, x0(xs), c2Of(a), bool(a, 2, true), num(a, 3, 1), [k[0], k[1] ?? k[0]], num(a, 5, 0.5));
  }),
  GhostBottleneck: base((b, n, xs, a) => blk.ghostBottleneck(b, n, x0(xs), c2Of(a), num(a, 2, 3), num(a, 3, 1))),
  SPP: base((b, n, xs, a) => blk.spp(b, n, x0(xs), c2Of(a), numList(a[2] ?? [5, 9, 13], [5, 9, 13]))),
  SPPF: base((b, n, xs, a) => blk.sppf(b, n, x0(xs), c2Of(a), num(a, 2, 5), num(a, 3, 3), bool(a, 4, false))),
  C2: repeated((b, n, xs, a, c) => blk.c2(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, true), num(a, 4, 1), num(a, 5, 0.5))),
  C2f: repeated((b, n, xs, a, c) => blk.c2f(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, false), num(a, 4, 1), num(a, 5, 0.5))),
  C3: repeated((b, n, xs, a, c) => blk.c3(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, true), num(a, 4, 1), num(a, 5, 0.5))),
  C3x: repeated((b, n, xs, a, c) => {
    const [shortcut, g] = [bool(a, 3, true), num(a, 4, 1)];
    return blk.c3Like(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), num(a, 5, 0.5), (nm, t, ch) => {
      const y = b.conv(`${nm}.cv2`, b.conv(`${nm}.cv1`, t, ch, { k: [1, 3] }), ch, { k: [3, 1], g });
      return shortcut ? b.merge('add', `${nm}.add`, [t, y]) : y;
    });
  }),
  Focus: base((b, n, xs, a) => blk.focus(b, n, x0(xs), c2Of(a), { k: num(a, 2, 1), s: num(a, 3, 1), p: numOrNull(a, 4), g: num(a, 5, 1), act: act(a, 6) })),
  C2fPSA: repeated((b, n, xs, a, c) => blk.c2fPsa(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), num(a, 3, 0.5))),
  C1: repeated((b, n, xs, a, c) => blk.c1Block(b, n, x0(xs), c2Of(a), count(c, a, 2, 1))),
  BottleneckCSP: repeated((b, n, xs, a, c) => blk.bottleneckCsp(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, true), num(a, 4, 1), num(a, 5, 0.5), [3, 3])),
  // C3TR: C3 whose bottlenecks are one TransformerBlock of n ViT layers (4 heads) on the flattened map.
  C3TR: repeated((b, n, xs, a, c) => {
    const layers = count(c, a, 2, 1);
    return blk.c3Like(b, n, x0(xs), c2Of(a), 1, num(a, 5, 0.5), (nm, t, ch) =>
      b.opaque(nm, [t], 'TransformerBlock', transformerBlockParams(ch, layers), 'TransformerBlock (ViT layers on the flattened map) is not expanded by gradlint; treated as identity.'),
    );
  }),
  C3Ghost: repeated((b, n, xs, a, c) => blk.c3Like(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), num(a, 5, 0.5), (nm, t, ch) => blk.ghostBottleneck(b, nm, t, ch))),
  C3k2: repeated(
    (b, n, xs, a, c) => blk.c3k2(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, false), num(a, 4, 0.5), bool(a, 5, false), num(a, 6, 1), bool(a, 7, true)),
    { modern: true },
  ),
  C2PSA: repeated((b, n, xs, a, c) => blk.c2psa(b, n, x0(xs), count(c, a, 2, 1), num(a, 3, 0.5))),
  PSA: base((b, n, xs, a) => blk.c2psa(b, n, x0(xs), 1, num(a, 2, 0.5), true)),
  A2C2f: repeated(
    (b, n, xs, a, c) =>
      blk.a2c2f(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, true), num(a, 4, 1), bool(a, 5, false), num(a, 6, 2.0), num(a, 7, 0.5), num(a, 8, 1), bool(a, 9, true)),
    { modern: true },
  ),
  C2fCIB: repeated((b, n, xs, a, c) => blk.c2fCib(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, false), bool(a, 4, false), num(a, 5, 1), num(a, 6, 0.5)), { modern: true }),
  SCDown: base((b, n, xs, a) => blk.scDown(b, n, x0(xs), c2Of(a), num(a, 2, 1), num(a, 3, 1))),
  RepC3: repeated((b, n, xs, a, c) => blk.repC3(b, n, x0(xs), c2Of(a), count(c, a, 2, 3), num(a, 3, 1.0))),
  RepNCSPELAN4: base((b, n, xs, a, c) => blk.elan(b, n, x0(xs), c2Of(a), num(a, 2, 0), num(a, 3, 0), count(c, a, 4, 1))),
  ELAN1: base((b, n, xs, a) => blk.elan(b, n, x0(xs), c2Of(a), num(a, 2, 0), num(a, 3, 0), undefined)),
  AConv: base((b, n, xs, a) => blk.aConv(b, n, x0(xs), c2Of(a))),
  ADown: base((b, n, xs, a) => blk.aDown(b, n, x0(xs), c2Of(a))),
  SPPELAN: base((b, n, xs, a) => blk.sppelan(b, n, x0(xs), c2Of(a), num(a, 2, 0), num(a, 3, 5))),
  Classify: base((b, n, xs, a) => heads.classify(b, n, x0(xs), c2Of(a), num(a, 2, 1), num(a, 3, 1), numOrNull(a, 4), num(a, 5, 1))),
  HGStem: { category: 'special', build: (b, n, xs, a) => blk.hgStem(b, n, x0(xs), num(a, 1, 0), num(a, 2, 0)) },
  HGBlock: {
    category: 'special',
    build: (b, n, xs, a, c) => blk.hgBlock(b, n, x0(xs), num(a, 1, 0), num(a, 2, 0), num(a, 3, 3), count(c, a, 4, 6), bool(a, 5, false), bool(a, 6, false)),
  },
  ResNetLayer: {
    category: 'special',
    build: (b, n, xs, a, c) => blk.resNetLayer(b, n, x0(xs), num(a, 1, 0), num(a, 2, 1), bool(a, 3, false), count(c, a, 4, 1), num(a, 5, 4)),
  },
  CBLinear: {
    category: 'special',
    build: (b, n, xs, a) => {
      const sizes = numList(a[1], []);
      const total = sizes.reduce((s, v) => s + v, 0);
      const y = b.conv2d(`${n}.conv`, x0(xs), total, { k: num(a, 2, 1), s: num(a, 3, 1), p: numOrNull(a, 4), g: num(a, 5, 1) });
      return b.split(`${n}.split`, y, sizes);
    },
  },
  Concat: { category: 'concat', build: (b, n, xs) => b.concat(n, xs) },
  'nn.Upsample': {
    category: 'passthrough',
    build: (b, n, xs, a) => b.upsample(n, x0(xs), num(a, 1, 2), a[2] === 'bilinear' ? 'bilinear' : 'nearest'),
  },
  'nn.MaxPool2d': {
    category: 'passthrough',
    build: (b, n, xs, a) => b.pool('maxPooling2d', n, x0(xs), num(a, 0, 2), num(a, 1, num(a, 0, 2)), num(a, 2, 0)),
  },
  'nn.ZeroPad2d': {
    category: 'passthrough',
    build: (b, n, xs, a) => {
      const [l, r, t, bo] = numList(a[0], [0, 0, 0, 0]).concat([0, 0, 0, 0]);
      const p = Array.isArray(a[0]) ? [[t, bo], [l, r]] : [[l, l], [l, l]];
      return { ...x0(xs), node: b.layer('zeroPadding2d', n, { padding: p }, [x0(xs)], 0) };
    },
  },
  'nn.Identity': { category: 'passthrough', build: (_b, _n, xs) => x0(xs) },
  'nn.BatchNorm2d': { category: 'special', build: (b, n, xs) => b.batchNorm(n, x0(xs)) },
  Detect: { category: 'head', build: (b, n, xs, _a, c) => heads.detect(b, n, xs, c) },
  Segment: { category: 'head', build: (b, n, xs, a, c) => heads.segment(b, n, xs, c, num(a, 1, 32), num(a, 2, 256)) },
  Pose: {
    category: 'head',
    build: (b, n, xs, a, c) => {
      const shape = numList(a[1] ?? [17, 3], [17, 3]);
      return heads.detectWithBranch(b, n, xs, c, shape[0] * (shape[1] ?? 1));
    },
  },
  OBB: { category: 'head', build: (b, n, xs, a, c) => heads.detectWithBranch(b, n, xs, c, num(a, 1, 1)) },
  v10Detect: { category: 'special', build: (b, n, xs, _a, c) => heads.detect(b, n, xs, { ...c, regMax: 16, end2end: true }, 'v10') },
  CBFuse: {
    category: 'special',
    build: (b, n, xs) => {
      const last = xs[xs.length - 1];
      const resized = xs.slice(0, -1).map((x, i) => ({ ...last, node: b.layer('resize', `${n}.resize.${i}`, { interpolation: 'nearest' }, [x, last], 0) }));
      return b.merge('add', `${n}.sum`, [...resized, last]);
    },
  },
  AIFI: {
    category: 'special',
    // AIFI(c1, cm=2048, num_heads=8): a post-norm transformer encoder layer on the flattened map.
    build: (b, n, xs, a) =>
      b.opaque(n, xs, 'AIFI', transformerEncoderParams(num(a, 0, 0), num(a, 1, 2048)), 'AIFI (transformer encoder layer) is not expanded by gradlint; treated as identity.'),
  },
  C2fAttn: repeated((b, n, xs, a, c) =>
    blk.c2fAttn(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), num(a, 3, 128), num(a, 4, 1), num(a, 5, 512), bool(a, 6, false), num(a, 7, 1), num(a, 8, 0.5)),
  ),
  ImagePoolingAttn: {
    category: 'special',
    // ImagePoolingAttn(ec=256, ch, ct=512, nh=8, k=3): updates the text embeddings from pooled image features.
    build: (b, n, xs, a) => {
      const ec = num(a, 0, 256);
      const ct = num(a, 2, 512);
      const ch = Array.isArray(a[1]) ? (a[1] as Value[]).map((c) => (typeof c === 'number' ? c : 0)) : [];
      const params = ch.reduce((s, c) => s + linear(c, ec), 0) + 2 * ct + linear(ct, ec) + 2 * (2 * ec + linear(ec, ec)) + linear(ec, ct) + (a[5] === true ? 1 : 0);
      return b.opaque(n, xs, 'ImagePoolingAttn', params, 'ImagePoolingAttn updates text embeddings, not image features; gradlint passes its first input through.');
    },
  },
  RTDETRDecoder: {
    category: 'special',
    build: (b, n, xs, a) => {
      const params = rtdetrDecoderParams(num(a, 0, 80), Array.isArray(a[1]) ? (a[1] as Value[]).map((c) => (typeof c === 'number' ? c : 0)) : [], num(a, 2, 256), num(a, 4, 4), num(a, 5, 8), num(a, 6, 6), num(a, 7, 1024));
      return b.opaque(n, xs, 'RTDETRDecoder', params, 'RTDETRDecoder (deformable transformer decoder) is not expanded by gradlint; treated as identity.');
    },
  },
  TorchVision: {
    category: 'special',
    // parse_model passes TorchVision(model, weights, unwrap=True, truncate=2, split=False); the YAML's c2 is dropped.
    build: (b, n, xs, a, c) =>
      torchVision(b, n, x0(xs), a[0], bool(a, 2, true), num(a, 3, 2), bool(a, 4, false)) ?? TORCHVISION_OTHER.build(b, n, xs, a, c),
  },
  WorldDetect: { category: 'head', build: (b, n, xs, a, c) => heads.worldDetect(b, n, xs, c, num(a, 1, 512), bool(a, 2, false)) },
  YOLOEDetect: { category: 'head', build: (b, n, xs, a, c) => heads.yoloeDetect(b, n, xs, c, num(a, 1, 512), bool(a, 2, false)) },
  YOLOESegment: {
    category: 'head',
    build: (b, n, xs, a, c) => heads.yoloeSegment(b, n, xs, c, num(a, 1, 32), num(a, 2, 256), num(a, 3, 512), bool(a, 4, false), false),
  },
  YOLOESegment26: {
    category: 'head',
    build: (b, n, xs, a, c) => heads.yoloeSegment(b, n, xs, c, num(a, 1, 32), num(a, 2, 256), num(a, 3, 512), bool(a, 4, false), true),
  },
  Segment26: { category: 'head', build: (b, n, xs, a, c) => heads.segment26(b, n, xs, c, num(a, 1, 32), num(a, 2, 256)) },
  Pose26: {
    category: 'head',
    build: (b, n, xs, a, c) => {
      const shape = numList(a[1] ?? [17, 3], [17, 3]);
      return heads.pose26(b, n, xs, c, [shape[0], shape[1] ?? 1]);
    },
  },
  // OBB26 differs from OBB in decoding only (raw angles instead of a sigmoid): the same layers.
  OBB26: { category: 'head', build: (b, n, xs, a, c) => heads.detectWithBranch(b, n, xs, c, num(a, 1, 1)) },
  Depth: { category: 'special', build: (b, n, xs, a) => heads.depth(b, n, xs, num(a, 0, 256)) },
  SemanticSegment: { category: 'special', build: (b, n, xs, a) => heads.semanticSegment(b, n, xs, num(a, 0, 19)) },
};

/**
 * nn.Conv2d written as a row: parse_model passes the arguments as written (in_channels
 * included) and records c2 = ch[f], so the kernel's input width is args[0].
 */
const TORCH_CONV2D: ModuleInfo = {
  category: 'passthrough',
  build: (b, n, xs, a) => {
    const x = { ...x0(xs), channels: num(a, 0, x0(xs).channels) };
    return b.conv2d(n, x, num(a, 1, x.channels), { k: num(a, 2, 1), s: num(a, 3, 1), p: num(a, 4, 0), d: num(a, 5, 1), g: num(a, 6, 1), bias: bool(a, 7, true) });
  },
};

/** A torch.nn activation class written as a row. */
const torchActivation = (spec: ActivationSpec): ModuleInfo => ({
  category: 'passthrough',
  build: (b, n, xs) => b.activation(n, x0(xs), spec),
});

/** nn.Linear(i, o) parameters. */
export const linear = (i: number, o: number): number => i * o + o;
/** nn.MultiheadAttention(d) parameters: in-projection 3d×d + 3d, out-projection d×d + d. */
export const multiheadAttention = (d: number): number => 4 * d * d + 4 * d;
/** Ultralytics MLP(input, hidden, output, num_layers): a chain of Linear layers. */
const mlp = (input: number, hidden: number, output: number, layers: number): number => {
  const dims = [input, ...Array<number>(layers - 1).fill(hidden), output];
  return dims.slice(1).reduce((sum, o, i) => sum + linear(dims[i], o), 0);
};

/** TransformerBlock(c, c, heads, layers): a position Linear, then per layer q, k, v (no bias), attention, fc1, fc2 (no bias). */
const transformerBlockParams = (c: number, layers: number): number => linear(c, c) + layers * (5 * c * c + multiheadAttention(c));

/** TransformerEncoderLayer(c1, cm): attention, two Linear layers, two LayerNorms. */
function transformerEncoderParams(c1: number, cm: number): number {
  return multiheadAttention(c1) + linear(c1, cm) + linear(cm, c1) + 4 * c1;
}

/** RTDETRDecoder(nc, ch, hd, nq, ndp, nh, ndl, d_ffn) with learnt_init_query=False. */
function rtdetrDecoderParams(nc: number, ch: number[], hd: number, ndp: number, nh: number, ndl: number, ffn: number): number {
  const levels = ch.length;
  const inputProj = ch.reduce((sum, c) => sum + c * hd + 2 * hd, 0);
  const deformable = linear(hd, nh * levels * ndp * 2) + linear(hd, nh * levels * ndp) + 2 * linear(hd, hd);
  const decoderLayer = multiheadAttention(hd) + deformable + linear(hd, ffn) + linear(ffn, hd) + 3 * 2 * hd;
  const heads = mlp(4, 2 * hd, hd, 2) + linear(hd, hd) + 2 * hd + linear(hd, nc) + mlp(hd, hd, 4, 3) + ndl * (linear(hd, nc) + mlp(hd, hd, 4, 3));
  return inputProj + ndl * decoderLayer + nc * hd + heads;
}

/** The module table entry for a name as written (`nn.Upsample`, `torch.nn.Upsample`, `C2f`). */
export function moduleInfo(name: string, args: Value[] = [], table: ModuleTable = ULTRALYTICS_MODULES): ModuleInfo | undefined {
  const key = name.startsWith('torch.nn.') ? name.slice('torch.'.length) : name;
  if (Object.prototype.hasOwnProperty.call(table, key)) return table[key];
  if (key === 'nn.Conv2d') return TORCH_CONV2D;
  const spec = key.startsWith('nn.') ? activationModule(key.slice(3), args[0]) : undefined;
  return spec ? torchActivation(spec) : undefined;
}
