// The modules the YOLOv5 repository's parse_model (models/yolo.py) accepts, built as its
// models/common.py builds them. Shared classes keep Ultralytics' entries; Bottleneck, SPPF,
// the transformer and CSP blocks and the anchor heads are YOLOv5's own.

import { anchorDetect, anchorsPerLevel } from './anchorHeads';
import * as blk from '../blocks';
import { proto } from '../heads';
import { SILU } from '../builder';
import { ULTRALYTICS_MODULES, base, bool, c2Of, count, num, numList, repeated, x0, type ModuleInfo, type ModuleTable } from '../modules';

/** Names YOLOv5 shares with Ultralytics (same constructor, same layers). */
const SHARED = ['Conv', 'Focus', 'DWConv', 'DWConvTranspose2d', 'GhostConv', 'GhostBottleneck', 'SPP', 'C3', 'C3x', 'C3Ghost', 'Concat', 'nn.Upsample', 'nn.MaxPool2d', 'nn.ZeroPad2d', 'nn.Identity', 'nn.BatchNorm2d', 'nn.ConvTranspose2d'];

/** Contract(gain=2): space-to-depth, channel = (dy·gain + dx)·c + i. */
export const CONTRACT: ModuleInfo = {
  category: 'passthrough',
  outChannels: (c1, a) => c1 * num(a, 0, 2) ** 2,
  build: (b, n, xs, a) => b.spaceToDepth(n, x0(xs), num(a, 0, 2), 'rowsFirst'),
};

/** Expand(gain=2): depth-to-space, the inverse of Contract. */
export const EXPAND: ModuleInfo = {
  category: 'passthrough',
  outChannels: (c1, a) => Math.floor(c1 / num(a, 0, 2) ** 2),
  build: (b, n, xs, a) => b.depthToSpace(n, x0(xs), num(a, 0, 2)),
};

/** MixConv2d(c1, c2, k=(1, 3), s=1, equal_ch=True) as a repository's models/experimental.py builds it. */
export const mixConv2d = (variant: blk.MixConvVariant): ModuleInfo =>
  base((b, n, xs, a) => blk.mixConv(b, n, x0(xs), c2Of(a), numList(a[2] ?? [1, 3], [1, 3]), num(a, 3, 1), bool(a, 4, true), variant));

const anchorCount = (a: unknown[]): number => anchorsPerLevel((a[1] ?? null) as never);

export const YOLOV5_MODULES: ModuleTable = {
  ...Object.fromEntries(SHARED.map((name) => [name, ULTRALYTICS_MODULES[name]])),
  // YOLOv5's Bottleneck(c1, c2, shortcut, g, e): cv1 is 1×1, cv2 3×3.
  Bottleneck: base((b, n, xs, a) => blk.bottleneck(b, n, x0(xs), c2Of(a), bool(a, 2, true), num(a, 3, 1), [1, 3], num(a, 4, 0.5))),
  SPPF: base((b, n, xs, a) => blk.sppf(b, n, x0(xs), c2Of(a), num(a, 2, 5))),
  CrossConv: base((b, n, xs, a) => {
    const [k, s, g, e] = [num(a, 2, 3), num(a, 3, 1), num(a, 4, 1), num(a, 5, 1.0)];
    const x = x0(xs);
    const y = b.conv(`${n}.cv2`, b.conv(`${n}.cv1`, x, blk.int(c2Of(a) * e), { k: [1, k], s }), c2Of(a), { k: [k, 1], g });
    return bool(a, 6, false) && x.channels === c2Of(a) ? b.merge('add', `${n}.add`, [x, y]) : y;
  }),
  // YOLOv5's inner bottlenecks are 1×1 → 3×3 (Ultralytics': 3×3 → 3×3).
  BottleneckCSP: repeated((b, n, xs, a, c) => blk.bottleneckCsp(b, n, x0(xs), c2Of(a), count(c, a, 2, 1), bool(a, 3, true), num(a, 4, 1), num(a, 5, 0.5), [1, 3])),
  C3TR: ULTRALYTICS_MODULES.C3TR,
  MixConv2d: mixConv2d({ grouped: true, residual: false, act: SILU }),
  Contract: CONTRACT,
  Expand: EXPAND,
  C3SPP: base((b, n, xs, a) => blk.c3Like(b, n, x0(xs), c2Of(a), 1, num(a, 7, 0.5), (nm, t, ch) => blk.spp(b, nm, t, ch, numList(a[2] ?? [5, 9, 13], [5, 9, 13])))),
  Detect: { category: 'listHead', anchorsArg: true, build: (b, n, xs, a) => anchorDetect(b, n, xs, num(a, 0, 80) + 5, anchorCount(a)) },
  Segment: {
    category: 'listHead',
    anchorsArg: true,
    widthScaledArg: 3,
    // Segment(nc, anchors, nm, npr, ch): Detect with nm mask coefficients per anchor, and Proto on the first level.
    build: (b, n, xs, a) => {
      const nm = num(a, 2, 32);
      const protos = proto(b, `${n}.proto`, xs[0], num(a, 3, 256), nm, 'nearest');
      return [anchorDetect(b, n, xs, num(a, 0, 80) + 5 + nm, anchorCount(a)), protos];
    },
  },
};
