// The modules the YOLOv9 repository's parse_model (models/yolo.py) accepts, built as its
// models/common.py and heads build them. Its anchor-free heads differ from Ultralytics'
// (class branch width max(c, min(2·nc, 128)); DDetect's grouped box branch; the dual and
// triple heads of the auxiliary branches, each with its own DFL).

import * as blk from '../blocks';
import { proto } from '../heads';
import { makeDivisible } from '../scale';
import { ULTRALYTICS_MODULES, base, c2Of, num, numList, x0, type ModuleInfo, type ModuleTable } from '../modules';
import type { GraphBuilder, Tensor } from '../builder';
import { CONTRACT, EXPAND } from './yolov5';

const REG_MAX = 16;

/** Names YOLOv9 shares with Ultralytics (same constructor arguments, same layers). */
const SHARED = ['Conv', 'AConv', 'ADown', 'Bottleneck', 'SPP', 'SPPF', 'DWConv', 'ELAN1', 'RepNCSPELAN4', 'SPPELAN', 'CBLinear', 'CBFuse', 'Concat', 'nn.Upsample', 'nn.MaxPool2d', 'nn.ZeroPad2d', 'nn.Identity', 'nn.BatchNorm2d', 'nn.ConvTranspose2d', 'DWConvTranspose2d'];

/** SPPCSPC (YOLOv7 and YOLOv9): a CSP split around an SPP of max pools (5, 9, 13). */
export function sppcspc(b: GraphBuilder, name: string, x: Tensor, c2: number, e: number, ks: number[]): Tensor {
  const c = blk.int(2 * c2 * e);
  const x1 = b.conv(`${name}.cv4`, b.conv(`${name}.cv3`, b.conv(`${name}.cv1`, x, c), c, { k: 3 }), c);
  const pools = ks.map((k, i) => b.pool('maxPooling2d', `${name}.m.${i}`, x1, k, 1, blk.int(k / 2)));
  const y1 = b.conv(`${name}.cv6`, b.conv(`${name}.cv5`, b.concat(`${name}.cat1`, [x1, ...pools]), c), c, { k: 3 });
  const y2 = b.conv(`${name}.cv2`, x, c);
  return b.conv(`${name}.cv7`, b.concat(`${name}.cat2`, [y1, y2]), c2);
}

export const SPPCSPC: ModuleInfo = base((b, n, xs, a) => sppcspc(b, n, x0(xs), c2Of(a), num(a, 5, 0.5), numList(a[6] ?? [5, 9, 13], [5, 9, 13])), { repeat: true });
/** MP(k=2): nn.MaxPool2d(k, k). */
export const MP: ModuleInfo = { category: 'passthrough', build: (b, n, xs, a) => b.pool('maxPooling2d', `${n}.m`, x0(xs), num(a, 0, 2), num(a, 0, 2), 0) };

/** ReOrg (YOLOv7 and YOLOv9): space-to-depth by 2 in Focus's order (4× channels, half the size), no parameters. */
export const REORG: ModuleInfo = { category: 'passthrough', outChannels: (c1) => 4 * c1, build: (b, n, xs) => b.spaceToDepth(n, x0(xs), 2, 'columnsFirst') };

/** Conv 3×3 → Conv 3×3 (groups g) → nn.Conv2d 1×1 (groups g): one level of a head branch. */
function branch(b: GraphBuilder, name: string, x: Tensor, hidden: number, out: number, g: number): Tensor {
  const y = b.conv(`${name}.1`, b.conv(`${name}.0`, x, hidden, { k: 3 }), hidden, { k: 3, g });
  return b.conv2d(`${name}.2`, y, out, { g });
}

/** A branch on every level, flattened to anchors and concatenated over levels (none without levels). */
function perLevel(b: GraphBuilder, name: string, xs: Tensor[], make: (name: string, x: Tensor) => Tensor): Tensor[] {
  const flat = xs.map((x, i) => b.flatten(`${name}.${i}.flat`, make(`${name}.${i}`, x)));
  return flat.length <= 1 ? flat : [b.concat(`${name}.out`, flat, 1)];
}

/** The i-th input counted from the end, or the last one when a row gives too few (bad input stays buildable). */
const fromEnd = (xs: Tensor[], i: number): Tensor => xs[Math.max(0, xs.length - i)];

/** One detection set: box branch, class branch and its DFL (Detect's, or DDetect's grouped one). */
function detectSet(b: GraphBuilder, name: string, xs: Tensor[], nc: number, grouped: boolean, [box, cls, dfl]: string[]): Tensor[] {
  if (xs.length === 0) return [];
  const ch0 = xs[0].channels;
  const wide = Math.max(blk.int(ch0 / 4), REG_MAX * 4, 16);
  const c2 = grouped ? makeDivisible(wide, 4) : wide;
  const c3 = Math.max(ch0, Math.min(nc * 2, 128));
  const g = grouped ? 4 : 1;
  const boxes = perLevel(b, `${name}.${box}`, xs, (nm, x) => branch(b, nm, x, c2, 4 * REG_MAX, g));
  const scores = perLevel(b, `${name}.${cls}`, xs, (nm, x) => branch(b, nm, x, c3, nc, 1));
  b.layer('dfl', `${name}.${dfl}.conv`, { regMax: REG_MAX, trainable: false }, null, REG_MAX, {}, 'Applied only at inference; frozen.');
  return [...boxes, ...scores];
}

const SETS = [
  ['cv2', 'cv3', 'dfl'],
  ['cv4', 'cv5', 'dfl2'],
  ['cv6', 'cv7', 'dfl3'],
];

/** Detect/DDetect (one set), DualDDetect (two: main and auxiliary levels), TripleDDetect (three). */
function detect(b: GraphBuilder, name: string, xs: Tensor[], nc: number, grouped: boolean, sets: number): Tensor[] {
  const nl = Math.floor(xs.length / sets);
  return SETS.slice(0, sets).flatMap((names, k) => detectSet(b, name, xs.slice(k * nl, (k + 1) * nl), nc, grouped, names));
}

/** Mask coefficients per level (c = max(ch0 / 4, nm)). */
function masks(b: GraphBuilder, name: string, xs: Tensor[], nm: number): Tensor[] {
  const c = Math.max(blk.int((xs[0]?.channels ?? 0) / 4), nm);
  return perLevel(b, name, xs, (nmName, x) => branch(b, nmName, x, c, nm, 1));
}

const head = (build: ModuleInfo['build'], widthScaledArg?: number): ModuleInfo => ({ category: 'listHead', widthScaledArg, build });
const nc = (a: unknown[]): number => num(a as never, 0, 80);

export const YOLOV9_MODULES: ModuleTable = {
  ...Object.fromEntries(SHARED.map((name) => [name, ULTRALYTICS_MODULES[name]])),
  SPPCSPC,
  MP,
  ReOrg: REORG,
  Contract: CONTRACT,
  Expand: EXPAND,
  // Silence passes its input through (it exists to give the auxiliary branch its own input row).
  Silence: { category: 'passthrough', build: (_b, _n, xs) => x0(xs) },
  Detect: head((b, n, xs, a) => detect(b, n, xs, nc(a), false, 1)),
  DDetect: head((b, n, xs, a) => detect(b, n, xs, nc(a), true, 1)),
  DualDDetect: head((b, n, xs, a) => detect(b, n, xs, nc(a), true, 2)),
  TripleDDetect: head((b, n, xs, a) => detect(b, n, xs, nc(a), true, 3)),
  // Segment(nc, nm, npr): Detect, Proto on the first level (nearest upsampling), mask coefficients.
  Segment: head((b, n, xs, a) => {
    const nm = num(a, 1, 32);
    return [...detect(b, n, xs, nc(a), false, 1), ...masks(b, `${n}.cv4`, xs, nm), proto(b, `${n}.proto`, xs[0], num(a, 2, 256), nm, 'nearest')];
  }, 2),
  // DSegment: DDetect on all but the last input, whose 1×1 Conv gives the protos.
  DSegment: head((b, n, xs, a) => {
    const nm = num(a, 1, 32);
    const levels = xs.slice(0, -1);
    return [...detect(b, n, levels, nc(a), true, 1), ...masks(b, `${n}.cv4`, levels, nm), b.conv(`${n}.proto`, fromEnd(xs, 1), nm)];
  }, 2),
  // DualDSegment: DualDDetect on all but the last two inputs (the two protos' 1×1 Convs).
  DualDSegment: head((b, n, xs, a) => {
    const nm = num(a, 1, 32);
    const levels = xs.slice(0, -2);
    const nl = Math.floor(levels.length / 2);
    return [
      ...detect(b, n, levels, nc(a), true, 2),
      ...masks(b, `${n}.cv6`, levels.slice(0, nl), nm),
      ...masks(b, `${n}.cv7`, levels.slice(nl, 2 * nl), nm),
      b.conv(`${n}.proto`, fromEnd(xs, 2), nm),
      b.conv(`${n}.proto2`, fromEnd(xs, 1), nm),
    ];
  }, 2),
  // Panoptic(nc, sem_nc, nm, npr): Segment plus UConv (Conv 3×3, nn.Conv2d 1×1, bilinear upsampling) for semantic classes.
  Panoptic: head((b, n, xs, a) => {
    const [semNc, nm] = [num(a, 1, 93), num(a, 2, 32)];
    const x = xs[0];
    const semantic = b.upsample(`${n}.uconv.up`, b.conv2d(`${n}.uconv.cv2`, b.conv(`${n}.uconv.cv1`, x, blk.int(x.channels / 4), { k: 3 }), semNc + nc(a)), 2, 'bilinear');
    return [...detect(b, n, xs, nc(a), false, 1), ...masks(b, `${n}.cv4`, xs, nm), proto(b, `${n}.proto`, x, num(a, 3, 256), nm, 'nearest'), semantic];
  }, 2),
};
