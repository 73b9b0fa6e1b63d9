// The modules the YOLOv7 repository's parse_model (models/yolo.py) accepts, built as its
// models/common.py builds them: ELAN rows of plain Convs (activations written per row, e.g.
// nn.LeakyReLU(0.1) in the tiny models), CSP blocks, RepConv, and the implicit-knowledge
// anchor heads IDetect / IAuxDetect.

import type { Value } from '../../graph';
import { parseActivation } from '../activation';
import * as blk from '../blocks';
import type { Act, GraphBuilder, Tensor } from '../builder';
import { ULTRALYTICS_MODULES, base, bool, c2Of, count, num, repeated, x0, type ModuleInfo, type ModuleTable } from '../modules';
import { anchorDetect, anchorsPerLevel } from './anchorHeads';
import { CONTRACT, EXPAND, YOLOV5_MODULES, mixConv2d } from './yolov5';
import { MP, REORG, SPPCSPC } from './yolov9';

const SWISH: Act = { activation: 'swish' };

/** YOLOv7 Conv's act argument: True (nn.SiLU), False/None, or a torch.nn activation written as an expression. */
function actArg(a: Value[], i: number): Act {
  const v = a[i];
  if (v === undefined || v === true) return SWISH;
  if (typeof v === 'string') {
    const parsed = parseActivation(v);
    return parsed.ok ? parsed.spec : SWISH;
  }
  return false;
}

/** Conv(c1, c2, k, s, p, g, act): no dilation argument, unlike Ultralytics' Conv. */
const conv: ModuleInfo = base((b, n, xs, a) => b.conv(n, x0(xs), c2Of(a), { k: num(a, 2, 1), s: num(a, 3, 1), p: typeof a[4] === 'number' ? a[4] : null, g: num(a, 5, 1), act: actArg(a, 6) }));

/** RepConv (training form): 3×3 conv + BN, 1×1 conv + BN, and a BN identity branch when shapes allow; summed, SiLU. */
function repConv(b: GraphBuilder, name: string, x: Tensor, c2: number, s: number, g: number, act: Act): Tensor {
  const dense = b.batchNorm(`${name}.rbr_dense.1`, b.conv2d(`${name}.rbr_dense.0`, x, c2, { k: 3, s, g, bias: false }));
  const one = b.batchNorm(`${name}.rbr_1x1.1`, b.conv2d(`${name}.rbr_1x1.0`, x, c2, { k: 1, s, p: 0, g, bias: false }));
  const branches = [dense, one];
  if (c2 === x.channels && s === 1) branches.push(b.batchNorm(`${name}.rbr_identity`, x));
  return b.activation(`${name}.act`, b.merge('add', `${name}.add`, branches), act);
}

/** Res(c1, c2, shortcut, g, e): 1×1 → 3×3 (groups g) → 1×1, residual when c1 == c2. */
function res(b: GraphBuilder, name: string, x: Tensor, c2: number, shortcut: boolean, g: number, e: number): Tensor {
  const c = blk.int(c2 * e);
  const y = b.conv(`${name}.cv3`, b.conv(`${name}.cv2`, b.conv(`${name}.cv1`, x, c), c, { k: 3, g }), c2);
  return shortcut && x.channels === c2 ? b.merge('add', `${name}.add`, [x, y]) : y;
}

type Inner = (b: GraphBuilder, name: string, t: Tensor, c: number) => Tensor;

/** The CSP variants: A = cv3(cat(m(cv1 x), cv2 x)); B = cv3(cat(m(cv1 x), cv2(cv1 x))) at full width; C = cv4(cat(cv3(m(cv1 x)), cv2 x)). */
function csp(variant: 'A' | 'B' | 'C', b: GraphBuilder, name: string, x: Tensor, c2: number, n: number, e: number, inner: Inner): Tensor {
  const c = variant === 'B' ? c2 : blk.int(c2 * e);
  const x1 = b.conv(`${name}.cv1`, x, c);
  let m = x1;
  for (let i = 0; i < n; i++) m = inner(b, `${name}.m.${i}`, m, c);
  if (variant === 'C') m = b.conv(`${name}.cv3`, m, c);
  const side = b.conv(`${name}.cv2`, variant === 'B' ? x1 : x, c);
  return b.conv(`${name}.${variant === 'C' ? 'cv4' : 'cv3'}`, b.concat(`${name}.cat`, [m, side]), c2);
}

/** A CSP row: args [c1, c2, n, shortcut, g, e]; the inner block from shortcut and g (default g differs: ResX uses 32). */
const cspRow = (variant: 'A' | 'B' | 'C', inner: (shortcut: boolean, g: number) => Inner, defaults: { shortcut: boolean; g: number }): ModuleInfo =>
  repeated((b, n, xs, a, c) => csp(variant, b, n, x0(xs), c2Of(a), count(c, a, 2, 1), num(a, 5, 0.5), inner(bool(a, 3, defaults.shortcut), num(a, 4, defaults.g))));

const bottleneckInner = (shortcut: boolean, g: number): Inner => (b, n, t, c) => blk.bottleneck(b, n, t, c, shortcut, g, [1, 3], 1.0);
const resInner = (e: number) => (shortcut: boolean, g: number): Inner => (b, n, t, c) => res(b, n, t, c, shortcut, g, e);

/** ImplicitA (a learned per-channel addition): identity for gradients, its C parameters counted. */
function implicitAdd(b: GraphBuilder, name: string, x: Tensor): Tensor {
  return b.opaque(name, [x], 'ImplicitA', x.channels, 'ImplicitA adds a learned per-channel vector: identity for gradients.');
}

/** IDetect / IAuxDetect: per level m(ia(x)) · im; IAuxDetect adds plain 1×1 convs (m2) on the auxiliary levels. */
function implicitDetect(b: GraphBuilder, name: string, xs: Tensor[], a: Value[], aux: boolean): Tensor[] {
  const na = anchorsPerLevel(a[1] ?? null);
  const nl = Array.isArray(a[1]) ? Math.min(a[1].length, xs.length) : xs.length;
  const no = num(a, 0, 80) + 5;
  const main = xs.slice(0, nl).map((x, i) => {
    const y = b.conv2d(`${name}.m.${i}`, implicitAdd(b, `${name}.ia.${i}`, x), na * no);
    const scaled = { ...y, node: b.layer('scale', `${name}.im.${i}`, { initValue: 1 }, [y], y.channels) };
    return b.flatten(`${name}.m.${i}.flat`, scaled);
  });
  const out = [main.length === 1 ? main[0] : b.concat(`${name}.out`, main, 1)];
  if (aux && xs.length > nl) out.push(anchorDetect(b, name, xs.slice(nl), no, na, 'm2'));
  return out;
}

const anchorHead = (build: ModuleInfo['build']): ModuleInfo => ({ category: 'listHead', anchorsArg: true, build });

export const YOLOV7_MODULES: ModuleTable = {
  ...Object.fromEntries(['Focus', 'Concat', 'nn.Upsample', 'nn.MaxPool2d', 'nn.ZeroPad2d', 'nn.Identity', 'nn.BatchNorm2d'].map((name) => [name, ULTRALYTICS_MODULES[name]])),
  ...Object.fromEntries(['Bottleneck', 'SPP', 'SPPF', 'DWConv', 'GhostConv', 'CrossConv', 'Detect'].map((name) => [name, YOLOV5_MODULES[name]])),
  Conv: conv,
  // nn.Conv2d is one of parse_model's base modules here: [c1, c2, k, s, p, ...].
  'nn.Conv2d': base((b, n, xs, a) => b.conv2d(n, x0(xs), c2Of(a), { k: num(a, 2, 1), s: num(a, 3, 1), p: num(a, 4, 0), bias: true })),
  RepConv: base((b, n, xs, a) => repConv(b, n, x0(xs), c2Of(a), num(a, 3, 1), num(a, 5, 1), actArg(a, 6))),
  SPPCSPC,
  MP,
  // SP(k=3, s=1): max pooling that keeps the size at stride 1.
  SP: { category: 'passthrough', build: (b, n, xs, a) => b.pool('maxPooling2d', `${n}.m`, x0(xs), num(a, 0, 3), num(a, 1, 1), blk.int(num(a, 0, 3) / 2)) },
  ReOrg: REORG,
  // YOLOv7's MixConv2d: ungrouped convs, LeakyReLU(0.1), plus its input.
  MixConv2d: mixConv2d({ grouped: false, residual: true, act: { activation: 'leakyReLU', alpha: 0.1 } }),
  Contract: CONTRACT,
  Expand: EXPAND,
  Shortcut: { category: 'passthrough', build: (b, n, xs) => b.merge('add', n, xs.slice(0, 2)) },
  // DownC(c1, c2, n, k): cat(cv2(cv1 x) stride k, cv3(maxpool_k x)).
  DownC: repeated((b, n, xs, a) => {
    const [x, c2, k] = [x0(xs), c2Of(a), num(a, 3, 2)];
    const y1 = b.conv(`${n}.cv2`, b.conv(`${n}.cv1`, x, x.channels), blk.int(c2 / 2), { k: 3, s: k });
    const y2 = b.conv(`${n}.cv3`, b.pool('maxPooling2d', `${n}.mp`, x, k, k, 0), blk.int(c2 / 2));
    return b.concat(`${n}.cat`, [y1, y2]);
  }),
  // Stem(c1, c2): cv1 3×3/2, then cat(cv3(cv2 x) 3×3/2, maxpool x), cv4.
  Stem: base((b, n, xs, a) => {
    const c = blk.int(c2Of(a) / 2);
    const x = b.conv(`${n}.cv1`, x0(xs), c, { k: 3, s: 2 });
    const y = b.conv(`${n}.cv3`, b.conv(`${n}.cv2`, x, c), c, { k: 3, s: 2 });
    return b.conv(`${n}.cv4`, b.concat(`${n}.cat`, [y, b.pool('maxPooling2d', `${n}.pool`, x, 2, 2, 0)]), c2Of(a));
  }),
  BottleneckCSPA: cspRow('A', bottleneckInner, { shortcut: true, g: 1 }),
  BottleneckCSPB: cspRow('B', bottleneckInner, { shortcut: false, g: 1 }),
  BottleneckCSPC: cspRow('C', bottleneckInner, { shortcut: true, g: 1 }),
  ResCSPA: cspRow('A', resInner(0.5), { shortcut: true, g: 1 }),
  ResCSPB: cspRow('B', resInner(0.5), { shortcut: true, g: 1 }),
  ResCSPC: cspRow('C', resInner(0.5), { shortcut: true, g: 1 }),
  ResXCSPA: cspRow('A', resInner(1.0), { shortcut: true, g: 32 }),
  ResXCSPB: cspRow('B', resInner(1.0), { shortcut: true, g: 32 }),
  ResXCSPC: cspRow('C', resInner(1.0), { shortcut: true, g: 32 }),
  IDetect: anchorHead((b, n, xs, a) => implicitDetect(b, n, xs, a, false)),
  IAuxDetect: anchorHead((b, n, xs, a) => implicitDetect(b, n, xs, a, true)),
};
