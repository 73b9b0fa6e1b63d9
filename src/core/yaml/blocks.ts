// Ultralytics building blocks (ultralytics/nn/modules/block.py, conv.py) expanded into
// inner layers. Signatures follow the Python constructors; channel arithmetic is the same
// integer arithmetic (`int(c2 * e)`, `c // 2`) so parameter counts match PyTorch's.

import { gcd, type Act, type GraphBuilder, type Tensor } from './builder';

const RELU = { activation: 'relu' } as const;
const SILU = { activation: 'swish' } as const;

export const int = (x: number): number => Math.trunc(x);

/** Bottleneck(c1, c2, shortcut=True, g=1, k=(3, 3), e=0.5). */
export function bottleneck(b: GraphBuilder, name: string, x: Tensor, c2: number, shortcut = true, g = 1, k: [number, number] = [3, 3], e = 0.5): Tensor {
  const c = int(c2 * e);
  const y = b.conv(`${name}.cv2`, b.conv(`${name}.cv1`, x, c, { k: k[0] }), c2, { k: k[1], g });
  return shortcut && x.channels === c2 ? b.merge('add', `${name}.add`, [x, y]) : y;
}

/** C3(c1, c2, n, shortcut, g, e) with the inner block chosen by the caller (C3, C3k, C3Ghost, RepCSP, C3x). */
export function c3Like(b: GraphBuilder, name: string, x: Tensor, c2: number, n: number, e: number, inner: (name: string, t: Tensor, c: number) => Tensor): Tensor {
  const c = int(c2 * e);
  let m = b.conv(`${name}.cv1`, x, c);
  const side = b.conv(`${name}.cv2`, x, c);
  for (let i = 0; i < n; i++) m = inner(`${name}.m.${i}`, m, c);
  return b.conv(`${name}.cv3`, b.concat(`${name}.cat`, [m, side]), c2);
}

export function c3(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, shortcut = true, g = 1, e = 0.5): Tensor {
  return c3Like(b, name, x, c2, n, e, (nm, t, c) => bottleneck(b, nm, t, c, shortcut, g, [1, 3], 1.0));
}

/** C3k(c1, c2, n=1, shortcut=True, g=1, e=0.5, k=3). */
export function c3k(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, shortcut = true, g = 1, e = 0.5, k = 3): Tensor {
  return c3Like(b, name, x, c2, n, e, (nm, t, c) => bottleneck(b, nm, t, c, shortcut, g, [k, k], 1.0));
}

/** C2f-style: cv1 → chunk(2) → n blocks chained on the last piece, all concatenated → cv2. */
function c2fLike(b: GraphBuilder, name: string, x: Tensor, c2: number, n: number, e: number, inner: (name: string, t: Tensor, c: number) => Tensor): Tensor {
  const c = int(c2 * e);
  const pieces = b.split(`${name}.chunk`, b.conv(`${name}.cv1`, x, 2 * c), [c, c]);
  for (let i = 0; i < n; i++) pieces.push(inner(`${name}.m.${i}`, pieces[pieces.length - 1], c));
  return b.conv(`${name}.cv2`, b.concat(`${name}.cat`, pieces), c2);
}

export function c2f(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, shortcut = false, g = 1, e = 0.5): Tensor {
  return c2fLike(b, name, x, c2, n, e, (nm, t, c) => bottleneck(b, nm, t, c, shortcut, g, [3, 3], 1.0));
}

/** C2(c1, c2, n, shortcut=True, g=1, e=0.5): cv1 → chunk → m(a) ‖ b → cv2. */
export function c2(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, shortcut = true, g = 1, e = 0.5): Tensor {
  const c = int(c2 * e);
  const [first, second] = b.split(`${name}.chunk`, b.conv(`${name}.cv1`, x, 2 * c), [c, c]);
  let m = first;
  for (let i = 0; i < n; i++) m = bottleneck(b, `${name}.m.${i}`, m, c, shortcut, g, [3, 3], 1.0);
  return b.conv(`${name}.cv2`, b.concat(`${name}.cat`, [m, second]), c2);
}

/** C3k2(c1, c2, n=1, c3k=False, e=0.5, attn=False, g=1, shortcut=True). */
export function c3k2(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, useC3k = false, e = 0.5, attn = false, g = 1, shortcut = true): Tensor {
  return c2fLike(b, name, x, c2, n, e, (nm, t, c) => {
    // attn wins over c3k (YOLO26's last C3k2 is [.., True, 0.5, True], and m/l/x force c3k).
    if (attn) return psaBlock(b, `${nm}.1`, bottleneck(b, `${nm}.0`, t, c, shortcut, g), c, 0.5, Math.max(int(c / 64), 1));
    return useC3k ? c3k(b, nm, t, c, 2, shortcut, g) : bottleneck(b, nm, t, c, shortcut, g);
  });
}

/** Ultralytics Attention(dim, num_heads, attn_ratio): qkv conv → softmax attention + positional DW conv → proj. */
export function attention(b: GraphBuilder, name: string, x: Tensor, numHeads: number, attnRatio = 0.5): Tensor {
  const dim = x.channels;
  const heads = Math.max(numHeads, 1);
  const headDim = int(dim / heads);
  const keyDim = int(headDim * attnRatio);
  const qkv = b.conv(`${name}.qkv`, x, dim + 2 * keyDim * heads, { act: false });
  const geometry = { numHeads: heads, keyDim, headDim };
  const attended: Tensor = { ...x, node: b.layer('attention', `${name}.attn`, { ...geometry, scale: keyDim ** -0.5 }, [qkv], 0) };
  const values: Tensor = { ...x, node: b.layer('attentionValues', `${name}.v`, geometry, [qkv], 0) };
  const pe = b.conv(`${name}.pe`, values, dim, { k: 3, g: dim, act: false });
  return b.conv(`${name}.proj`, b.merge('add', `${name}.add`, [attended, pe]), dim, { act: false });
}

/** PSABlock(c, attn_ratio, num_heads, shortcut=True): x + attn(x), then x + ffn(x). */
function psaBlock(b: GraphBuilder, name: string, x: Tensor, c: number, attnRatio: number, numHeads: number): Tensor {
  const a = b.merge('add', `${name}.add1`, [x, attention(b, `${name}.attn`, x, numHeads, attnRatio)]);
  const f = b.conv(`${name}.ffn.1`, b.conv(`${name}.ffn.0`, a, c * 2), c, { act: false });
  return b.merge('add', `${name}.add2`, [a, f]);
}

/** C2PSA(c1, c2, n=1, e=0.5) and PSA(c1, c2, e=0.5): split, n PSA blocks on one half, concat, cv2. */
export function c2psa(b: GraphBuilder, name: string, x: Tensor, n = 1, e = 0.5, single = false): Tensor {
  const c1 = x.channels;
  const c = int(c1 * e);
  const [a, first] = b.split(`${name}.split`, b.conv(`${name}.cv1`, x, 2 * c), [c, c]);
  let y = first;
  if (single) {
    y = b.merge('add', `${name}.add1`, [y, attention(b, `${name}.attn`, y, int(c / 64), 0.5)]);
    const f = b.conv(`${name}.ffn.1`, b.conv(`${name}.ffn.0`, y, c * 2), c, { act: false });
    y = b.merge('add', `${name}.add2`, [y, f]);
  } else {
    for (let i = 0; i < n; i++) y = psaBlock(b, `${name}.m.${i}`, y, c, 0.5, int(c / 64));
  }
  return b.conv(`${name}.cv2`, b.concat(`${name}.cat`, [a, y]), c1);
}

/** SPPF(c1, c2, k=5, n=3, shortcut=False); cv1 has no activation since Ultralytics 8.4. */
export function sppf(b: GraphBuilder, name: string, x: Tensor, c2: number, k = 5, n = 3, shortcut = false): Tensor {
  const c = int(x.channels / 2);
  const ys = [b.conv(`${name}.cv1`, x, c, { act: false })];
  for (let i = 0; i < n; i++) ys.push(b.pool('maxPooling2d', `${name}.m.${i}`, ys[ys.length - 1], k, 1, int(k / 2)));
  const y = b.conv(`${name}.cv2`, b.concat(`${name}.cat`, ys), c2);
  return shortcut && x.channels === c2 ? b.merge('add', `${name}.add`, [x, y]) : y;
}

/** SPP(c1, c2, k=(5, 9, 13)): parallel max pools of cv1's output. */
export function spp(b: GraphBuilder, name: string, x: Tensor, c2: number, ks: number[] = [5, 9, 13]): Tensor {
  const y = b.conv(`${name}.cv1`, x, int(x.channels / 2));
  const pools = ks.map((k, i) => b.pool('maxPooling2d', `${name}.m.${i}`, y, k, 1, int(k / 2)));
  return b.conv(`${name}.cv2`, b.concat(`${name}.cat`, [y, ...pools]), c2);
}

/** GhostConv(c1, c2, k=1, s=1, g=1, act=True): half the channels by a conv, half by a cheap 5×5 DW conv. */
export function ghostConv(b: GraphBuilder, name: string, x: Tensor, c2: number, k = 1, s = 1, g = 1, act: Act = true): Tensor {
  const c = int(c2 / 2);
  const y = b.conv(`${name}.cv1`, x, c, { k, s, g, act });
  return b.concat(`${name}.cat`, [y, b.conv(`${name}.cv2`, y, c, { k: 5, g: c, act })]);
}

/** GhostBottleneck(c1, c2, k=3, s=1): always an identity (or DW+conv) residual. */
export function ghostBottleneck(b: GraphBuilder, name: string, x: Tensor, c2: number, k = 3, s = 1): Tensor {
  const c = int(c2 / 2);
  let y = ghostConv(b, `${name}.conv.0`, x, c, 1, 1);
  if (s === 2) y = b.dwConv(`${name}.conv.1`, y, c, { k, s, act: false });
  y = ghostConv(b, `${name}.conv.2`, y, c2, 1, 1, 1, false);
  const short = s === 2 ? b.conv(`${name}.shortcut.1`, b.dwConv(`${name}.shortcut.0`, x, x.channels, { k, s, act: false }), c2, { act: false }) : x;
  return b.merge('add', `${name}.add`, [y, short]);
}

/** RepConv(c1, c2, k=3, s=1, p=1, g=1): 3×3 ‖ 1×1 (‖ BN identity) summed, then its own SiLU. */
function repConv(b: GraphBuilder, name: string, x: Tensor, c2: number, k = 3, s = 1, p = 1, g = 1, bn = false): Tensor {
  const branches = [b.conv(`${name}.conv1`, x, c2, { k, s, p, g, act: false }), b.conv(`${name}.conv2`, x, c2, { k: 1, s, p: p - int(k / 2), g, act: false })];
  if (bn && c2 === x.channels && s === 1) branches.push(b.batchNorm(`${name}.bn`, x));
  return b.activation(`${name}.act`, b.merge('add', `${name}.add`, branches), SILU);
}

/** RepC3(c1, c2, n=3, e=1.0): cv3(m(cv1 x) + cv2 x). */
export function repC3(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 3, e = 1.0): Tensor {
  const c = int(c2 * e);
  let m = b.conv(`${name}.cv1`, x, c);
  for (let i = 0; i < n; i++) m = repConv(b, `${name}.m.${i}`, m, c);
  const sum = b.merge('add', `${name}.add`, [m, b.conv(`${name}.cv2`, x, c)]);
  return c === c2 ? sum : b.conv(`${name}.cv3`, sum, c2);
}

/** RepCSP: C3 whose bottlenecks start with a RepConv. */
function repCsp(b: GraphBuilder, name: string, x: Tensor, c2: number, n: number): Tensor {
  return c3Like(b, name, x, c2, n, 0.5, (nm, t, c) => {
    const y = b.conv(`${nm}.cv2`, repConv(b, `${nm}.cv1`, t, c, 3, 1), c, { k: 3 });
    return b.merge('add', `${nm}.add`, [t, y]);
  });
}

/** RepNCSPELAN4(c1, c2, c3, c4, n=1) and ELAN1(c1, c2, c3, c4) (plain convs instead of RepCSP). */
export function elan(b: GraphBuilder, name: string, x: Tensor, c2: number, c3: number, c4: number, n: number | undefined): Tensor {
  const pieces = b.split(`${name}.chunk`, b.conv(`${name}.cv1`, x, c3), [int(c3 / 2), c3 - int(c3 / 2)]);
  for (const cv of ['cv2', 'cv3']) {
    const last = pieces[pieces.length - 1];
    if (n === undefined) {
      pieces.push(b.conv(`${name}.${cv}`, last, c4, { k: 3 }));
    } else {
      const inner = repCsp(b, `${name}.${cv}.0`, last, c4, n);
      pieces.push(b.conv(`${name}.${cv}.1`, inner, c4, { k: 3 }));
    }
  }
  return b.conv(`${name}.cv4`, b.concat(`${name}.cat`, pieces), c2);
}

/** SPPELAN(c1, c2, c3, k=5). */
export function sppelan(b: GraphBuilder, name: string, x: Tensor, c2: number, c3: number, k = 5): Tensor {
  const ys = [b.conv(`${name}.cv1`, x, c3)];
  for (const cv of ['cv2', 'cv3', 'cv4']) ys.push(b.pool('maxPooling2d', `${name}.${cv}`, ys[ys.length - 1], k, 1, int(k / 2)));
  return b.conv(`${name}.cv5`, b.concat(`${name}.cat`, ys), c2);
}

/** AConv(c1, c2): avg pool (2, 1) then a stride-2 3×3 Conv. */
export function aConv(b: GraphBuilder, name: string, x: Tensor, c2: number): Tensor {
  return b.conv(`${name}.cv1`, b.pool('averagePooling2d', `${name}.pool`, x, 2, 1, 0), c2, { k: 3, s: 2, p: 1 });
}

/** ADown(c1, c2): avg pool, chunk; stride-2 conv ‖ max pool + 1×1 conv; concat. */
export function aDown(b: GraphBuilder, name: string, x: Tensor, c2: number): Tensor {
  const c = int(c2 / 2);
  const half = int(x.channels / 2);
  const [x1, x2] = b.split(`${name}.chunk`, b.pool('averagePooling2d', `${name}.pool`, x, 2, 1, 0), [half, x.channels - half]);
  const y1 = b.conv(`${name}.cv1`, { ...x1, channels: half }, c, { k: 3, s: 2, p: 1 });
  const y2 = b.conv(`${name}.cv2`, b.pool('maxPooling2d', `${name}.maxpool`, { ...x2, channels: half }, 3, 2, 1), c, { k: 1, p: 0 });
  return b.concat(`${name}.cat`, [y1, y2]);
}

/** SCDown(c1, c2, k, s): 1×1 Conv then a depthwise stride conv without activation. */
export function scDown(b: GraphBuilder, name: string, x: Tensor, c2: number, k: number, s: number): Tensor {
  return b.conv(`${name}.cv2`, b.conv(`${name}.cv1`, x, c2), c2, { k, s, g: c2, act: false });
}

/** CIB(c1, c2, shortcut, e=1.0, lk): DW 3×3, 1×1, (RepVGGDW | DW 3×3), 1×1, DW 3×3. */
function cib(b: GraphBuilder, name: string, x: Tensor, c2: number, shortcut: boolean, lk: boolean): Tensor {
  const c1 = x.channels;
  const c = 2 * c2;
  let y = b.conv(`${name}.cv1.0`, x, c1, { k: 3, g: c1 });
  y = b.conv(`${name}.cv1.1`, y, c);
  if (lk) {
    const sum = b.merge('add', `${name}.cv1.2.add`, [
      b.conv(`${name}.cv1.2.conv`, y, c, { k: 7, p: 3, g: c, act: false }),
      b.conv(`${name}.cv1.2.conv1`, y, c, { k: 3, p: 1, g: c, act: false }),
    ]);
    y = b.activation(`${name}.cv1.2.act`, sum, SILU);
  } else {
    y = b.conv(`${name}.cv1.2`, y, c, { k: 3, g: c });
  }
  y = b.conv(`${name}.cv1.4`, b.conv(`${name}.cv1.3`, y, c2), c2, { k: 3, g: c2 });
  return shortcut && c1 === c2 ? b.merge('add', `${name}.add`, [x, y]) : y;
}

/** C2fCIB(c1, c2, n=1, shortcut=False, lk=False, g=1, e=0.5). */
export function c2fCib(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, shortcut = false, lk = false, _g = 1, e = 0.5): Tensor {
  // CIB's own e is 1.0: its hidden width is 2·c (c = int(c2 * e) of the C2f).
  return c2fLike(b, name, x, c2, n, e, (nm, t, c) => cib(b, nm, t, c, shortcut, lk));
}

/** AAttn(dim, num_heads, area): area attention with a 7×7 positional DW conv. */
function areaAttention(b: GraphBuilder, name: string, x: Tensor, numHeads: number, area: number): Tensor {
  const dim = x.channels;
  const headDim = int(dim / numHeads);
  const all = headDim * numHeads;
  const qkv = b.conv(`${name}.qkv`, x, all * 3, { act: false });
  const geometry = { numHeads, keyDim: headDim, headDim, area };
  const attended: Tensor = { ...x, channels: all, node: b.layer('areaAttention', `${name}.attn`, geometry, [qkv], 0) };
  const values: Tensor = { ...x, channels: all, node: b.layer('areaAttentionValues', `${name}.v`, geometry, [qkv], 0) };
  const pe = b.conv(`${name}.pe`, values, dim, { k: 7, p: 3, g: dim, act: false });
  return b.conv(`${name}.proj`, b.merge('add', `${name}.add`, [attended, pe]), dim, { act: false });
}

/** A2C2f(c1, c2, n=1, a2=True, area=1, residual=False, mlp_ratio=2.0, e=0.5, g=1, shortcut=True). */
export function a2c2f(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, a2 = true, area = 1, residual = false, mlpRatio = 2.0, e = 0.5, g = 1, shortcut = true): Tensor {
  const c = int(c2 * e);
  const ys = [b.conv(`${name}.cv1`, x, c)];
  for (let i = 0; i < n; i++) {
    let y = ys[ys.length - 1];
    if (a2) {
      for (const j of [0, 1]) {
        const blk = `${name}.m.${i}.${j}`;
        y = b.merge('add', `${blk}.add1`, [y, areaAttention(b, `${blk}.attn`, y, int(c / 32), area)]);
        const hidden = int(c * mlpRatio);
        y = b.merge('add', `${blk}.add2`, [y, b.conv(`${blk}.mlp.1`, b.conv(`${blk}.mlp.0`, y, hidden), c, { act: false })]);
      }
    } else {
      y = c3k(b, `${name}.m.${i}`, y, c, 2, shortcut, g);
    }
    ys.push(y);
  }
  const out = b.conv(`${name}.cv2`, b.concat(`${name}.cat`, ys), c2);
  if (!(a2 && residual)) return out;
  const scaled: Tensor = { ...out, node: b.layer('scale', `${name}.gamma`, { initValue: 0.01 }, [out], c2) };
  return b.merge('add', `${name}.add`, [x, scaled]);
}

/** HGStem(c1, cm, c2): ReLU convs with a pooled branch. */
export function hgStem(b: GraphBuilder, name: string, x: Tensor, cm: number, c2: number): Tensor {
  const pad = (nm: string, t: Tensor): Tensor => ({ ...t, node: b.layer('zeroPadding2d', nm, { padding: [[0, 1], [0, 1]] }, [t], 0) });
  const s1 = pad(`${name}.pad1`, b.conv(`${name}.stem1`, x, cm, { k: 3, s: 2, act: RELU }));
  const a = b.conv(`${name}.stem2a`, s1, int(cm / 2), { k: 2, p: 0, act: RELU });
  const a2 = b.conv(`${name}.stem2b`, pad(`${name}.pad2`, a), cm, { k: 2, p: 0, act: RELU });
  const pooled = b.pool('maxPooling2d', `${name}.pool`, s1, 2, 1, 0);
  const y = b.conv(`${name}.stem3`, b.concat(`${name}.cat`, [pooled, a2]), cm, { k: 3, s: 2, act: RELU });
  return b.conv(`${name}.stem4`, y, c2, { act: RELU });
}

/** HGBlock(c1, cm, c2, k=3, n=6, lightconv=False, shortcut=False, act=ReLU). */
export function hgBlock(b: GraphBuilder, name: string, x: Tensor, cm: number, c2: number, k = 3, n = 6, lightconv = false, shortcut = false): Tensor {
  const ys = [x];
  for (let i = 0; i < n; i++) {
    const last = ys[ys.length - 1];
    const nm = `${name}.m.${i}`;
    ys.push(lightconv ? b.dwConv(`${nm}.conv2`, b.conv(`${nm}.conv1`, last, cm, { act: false }), cm, { k, act: RELU }) : b.conv(nm, last, cm, { k, act: RELU }));
  }
  const y = b.conv(`${name}.ec`, b.conv(`${name}.sc`, b.concat(`${name}.cat`, ys), int(c2 / 2), { act: RELU }), c2, { act: RELU });
  return shortcut && x.channels === c2 ? b.merge('add', `${name}.add`, [x, y]) : y;
}

/** ResNetLayer(c1, c2, s=1, is_first=False, n=1, e=4). */
export function resNetLayer(b: GraphBuilder, name: string, x: Tensor, c2: number, s = 1, isFirst = false, n = 1, e = 4): Tensor {
  if (isFirst) return b.pool('maxPooling2d', `${name}.layer.1`, b.conv(`${name}.layer.0`, x, c2, { k: 7, s: 2, p: 3 }), 3, 2, 1);
  let y = x;
  for (let i = 0; i < n; i++) {
    const nm = `${name}.layer.${i}`;
    const stride = i === 0 ? s : 1;
    const c3 = e * c2;
    const main = b.conv(`${nm}.cv3`, b.conv(`${nm}.cv2`, b.conv(`${nm}.cv1`, y, c2), c2, { k: 3, s: stride, p: 1 }), c3, { act: false });
    const short = stride !== 1 || y.channels !== c3 ? b.conv(`${nm}.shortcut.0`, y, c3, { s: stride, act: false }) : y;
    y = b.activation(`${nm}.relu`, b.merge('add', `${nm}.add`, [main, short]), RELU);
  }
  return y;
}

/**
 * C2fAttn(c1, c2, n=1, ec=128, nh=1, gc=512): C2f plus a MaxSigmoidAttnBlock on the last
 * piece. Its text-guided sigmoid gate needs the text embeddings, so it is an opaque
 * identity here (its parameters counted): proj_conv is the part the image gradient crosses.
 */
export function c2fAttn(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, ec = 128, nh = 1, gc = 512, shortcut = false, g = 1, e = 0.5): Tensor {
  const c = int(c2 * e);
  const pieces = b.split(`${name}.chunk`, b.conv(`${name}.cv1`, x, 2 * c), [c, c]);
  for (let i = 0; i < n; i++) pieces.push(bottleneck(b, `${name}.m.${i}`, pieces[pieces.length - 1], c, shortcut, g, [3, 3], 1.0));
  const proj = b.conv(`${name}.attn.proj_conv`, pieces[pieces.length - 1], c, { k: 3, act: false });
  const embedConv = c !== ec ? c * ec + 2 * ec : 0;
  const guide = gc * ec + ec + nh;
  pieces.push(b.opaque(`${name}.attn.gate`, [proj], 'MaxSigmoidAttnBlock', embedConv + guide, 'The text-guided sigmoid gate of C2fAttn needs text embeddings; gradlint passes the image features through.'));
  return b.conv(`${name}.cv2`, b.concat(`${name}.cat`, pieces), c2);
}

/** BottleneckCSP: cv1 → bottlenecks (kernels k) → cv3 (plain conv) ‖ cv2 (plain conv), BN + SiLU over the pair, cv4. */
export function bottleneckCsp(b: GraphBuilder, name: string, x: Tensor, c2: number, n: number, shortcut: boolean, g: number, e: number, k: [number, number]): Tensor {
  const c = int(c2 * e);
  let m = b.conv(`${name}.cv1`, x, c);
  for (let i = 0; i < n; i++) m = bottleneck(b, `${name}.m.${i}`, m, c, shortcut, g, k, 1.0);
  const y1 = b.conv2d(`${name}.cv3`, m, c, { bias: false });
  const y2 = b.conv2d(`${name}.cv2`, x, c, { bias: false });
  const joined = b.activation(`${name}.act`, b.batchNorm(`${name}.bn`, b.concat(`${name}.cat`, [y1, y2])), SILU);
  return b.conv(`${name}.cv4`, joined, c2);
}

/** C1(c1, c2, n): cv1 1×1, then n 3×3 Convs, plus the cv1 output. */
export function c1Block(b: GraphBuilder, name: string, x: Tensor, c2: number, n: number): Tensor {
  const y = b.conv(`${name}.cv1`, x, c2);
  let m = y;
  for (let i = 0; i < n; i++) m = b.conv(`${name}.m.${i}`, m, c2, { k: 3 });
  return b.merge('add', `${name}.add`, [m, y]);
}

/** C2fPSA(c1, c2, n, e): C2f whose inner blocks are PSABlocks (num_heads = c / 64). */
export function c2fPsa(b: GraphBuilder, name: string, x: Tensor, c2: number, n = 1, e = 0.5): Tensor {
  return c2fLike(b, name, x, c2, n, e, (nm, t, c) => psaBlock(b, nm, t, c, 0.5, int(c / 64)));
}

/** Focus(c1, c2, k, s, p, g, act): space-to-depth by 2 (4× channels, half the size), then Conv. */
export function focus(b: GraphBuilder, name: string, x: Tensor, c2: number, conv: { k: number; s: number; p: number | null; g: number; act: Act }): Tensor {
  return b.conv(`${name}.conv`, b.spaceToDepth(`${name}.space_to_depth`, x, 2, 'columnsFirst'), c2, conv);
}

/**
 * MixConv2d's output channels per kernel. equal_ch: torch.linspace(0, n − 1e-6, c2) in
 * float32, floored, counted per group; else proportional to 1/k² (the exact solution of
 * its least-squares system), rounded.
 */
export function mixConvChannels(c2: number, ks: number[], equalChannels: boolean): number[] {
  const n = ks.length;
  if (!equalChannels) {
    const inverse = ks.map((k) => 1 / (k * k));
    const total = inverse.reduce((s, v) => s + v, 0);
    // numpy's lstsq lands just below an exact half (checked against it for c2 < 600): ties round down.
    return inverse.map((v) => Math.ceil((c2 * v) / total - 0.5));
  }
  const counts = new Array<number>(n).fill(0);
  const f = Math.fround;
  const end = f(n - 1e-6);
  const step = c2 > 1 ? f(end / (c2 - 1)) : 0;
  // torch's CPU linspace: the first half counts up from start, the second half down from end.
  for (let i = 0; i < c2; i++) {
    const value = i < c2 / 2 ? f(step * i) : f(end - f(step * (c2 - 1 - i)));
    const group = Math.floor(value);
    if (group >= 0 && group < n) counts[group]++;
  }
  return counts;
}

/** How a repository's MixConv2d differs: YOLOv5 groups its convs by gcd(c1, channels); YOLOv7's are ungrouped and add the input. */
export interface MixConvVariant {
  grouped: boolean;
  residual: boolean;
  act: Act;
}

/**
 * MixConv2d(c1, c2, k, s, equal_ch): one conv per kernel size (padding k // 2, no bias) on the
 * same input, concatenated, then BN and act (plus the input in YOLOv7).
 */
export function mixConv(b: GraphBuilder, name: string, x: Tensor, c2: number, ks: number[], s: number, equalChannels: boolean, variant: MixConvVariant): Tensor {
  const { grouped, residual, act } = variant;
  const channels = mixConvChannels(c2, ks, equalChannels);
  const convs = ks.map((k, i) => b.conv2d(`${name}.m.${i}`, x, channels[i], { k, s, p: int(k / 2), g: grouped ? gcd(x.channels, channels[i]) : 1, bias: false }));
  const joined = convs.length === 1 ? convs[0] : b.concat(`${name}.cat`, convs);
  const y = b.activation(`${name}.act`, b.batchNorm(`${name}.bn`, joined), act);
  return residual ? b.merge('add', `${name}.add`, [x, y]) : y;
}
