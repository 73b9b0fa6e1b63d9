// Parameter counts as PyTorch's `sum(p.numel() for p in module.parameters())` gives them, from
// the module tree the interpreter built: each torch.nn layer's weights from its constructor
// arguments, each `nn.Parameter` a class assigns from its shape. Shared modules count once.

import type { ModuleInstance, PyValue } from './values';
import { lastName, walkModules } from './values';

/** torch.nn layers without parameters (activations are told apart by isActivationModule). */
const WEIGHTLESS = /^(Identity|Flatten|Unflatten|Dropout[123]?d?|AlphaDropout|FeatureAlphaDropout|(Max|Avg|AdaptiveMax|AdaptiveAvg|LP)Pool[123]d|MaxUnpool[123]d|Upsample|Upsampling(Nearest|Bilinear)2d|PixelShuffle|PixelUnshuffle|ChannelShuffle|(Zero|Reflection|Replication|Constant|Circular)Pad[123]d|Softmax2d|CosineSimilarity|PairwiseDistance|Fold|Unfold)$/;

const ACTIVATIONS_WITHOUT_WEIGHTS = /^(ReLU|ReLU6|Sigmoid|Tanh|GELU|SiLU|Mish|ELU|CELU|SELU|LeakyReLU|RReLU|Softplus|Softsign|Hardsigmoid|Hardswish|Softmax|LogSoftmax|Softmin|Hardtanh|Tanhshrink|Softshrink|Hardshrink|LogSigmoid|Threshold|GLU)$/;

const number = (v: PyValue | undefined): number | undefined => (v?.t === 'num' ? v.v : v?.t === 'bool' ? Number(v.v) : undefined);
const flag = (v: PyValue | undefined, fallback: boolean): boolean | undefined => (v === undefined ? fallback : v.t === 'bool' ? v.v : v.t === 'num' ? v.v !== 0 : v.t === 'none' ? false : undefined);

/** An int-or-tuple argument as `n` numbers (a tuple as given). */
function sizes(v: PyValue | undefined, n: number): number[] | undefined {
  if (v?.t === 'num') return Array(n).fill(v.v);
  if (v?.t === 'list' && v.items.every((x) => x.t === 'num')) return v.items.map((x) => (x as { v: number }).v);
  return undefined;
}

type Shapes = [string, number[]][];

function convShapes(cls: string, p: ReadonlyMap<string, PyValue>): Shapes | undefined {
  const inCh = number(p.get('in_channels'));
  const out = number(p.get('out_channels'));
  const groups = number(p.get('groups') ?? { t: 'num', v: 1 });
  const transposed = /^ConvTranspose/.test(cls) || flag(p.get('transposed'), false) === true;
  const explicit = Number(/([123])d$/.exec(cls)?.[1] ?? 0);
  const given = p.get('kernel_size');
  const k = sizes(given, explicit || (given?.t === 'list' ? given.items.length : 2));
  const bias = flag(p.get('bias'), true);
  if (inCh === undefined || out === undefined || groups === undefined || !k || bias === undefined) return undefined;
  const weight = transposed ? [inCh, out / groups, ...k] : [out, inCh / groups, ...k];
  return bias ? [['weight', weight], ['bias', [out]]] : [['weight', weight]];
}

function affine(features: number | undefined, on: boolean | undefined): Shapes | undefined {
  if (features === undefined || on === undefined) return undefined;
  return on ? [['weight', [features]], ['bias', [features]]] : [];
}

function recurrentShapes(cls: string, p: ReadonlyMap<string, PyValue>): Shapes | undefined {
  const input = number(p.get('input_size'));
  const hidden = number(p.get('hidden_size'));
  const layers = number(p.get('num_layers') ?? { t: 'num', v: 1 });
  const bidirectional = flag(p.get('bidirectional'), false);
  const bias = flag(p.get('bias'), true);
  if (input === undefined || hidden === undefined || layers === undefined || bidirectional === undefined || bias === undefined || p.has('proj_size')) return undefined;
  const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1;
  const directions = bidirectional ? 2 : 1;
  const shapes: Shapes = [];
  for (let l = 0; l < Math.min(layers, 64); l++) {
    const inSize = l === 0 ? input : hidden * directions;
    for (let d = 0; d < directions; d++) {
      const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
      shapes.push([`weight_ih${suffix}`, [gates * hidden, inSize]], [`weight_hh${suffix}`, [gates * hidden, hidden]]);
      if (bias) shapes.push([`bias_ih${suffix}`, [gates * hidden]], [`bias_hh${suffix}`, [gates * hidden]]);
    }
  }
  return shapes;
}

/**
 * The parameters a torch.nn layer registers, by name and shape, from its bound constructor
 * arguments; [] for layers without any; undefined when an argument is not known or the layer
 * is not one of these. `cls` is the name after `torch.nn.` (`_ConvNd` for the conv base class).
 */
export function torchParameterShapes(cls: string, p: ReadonlyMap<string, PyValue>): Shapes | undefined {
  if (WEIGHTLESS.test(cls) || ACTIVATIONS_WITHOUT_WEIGHTS.test(cls)) return [];
  if (/^(Conv|ConvTranspose)[123]d$|^_ConvNd$/.test(cls)) return convShapes(cls, p);
  if (cls === 'Linear' || cls === 'Bilinear') {
    const out = number(p.get('out_features'));
    const bias = flag(p.get('bias'), true);
    const weight = cls === 'Linear' ? [out, number(p.get('in_features'))] : [out, number(p.get('in1_features')), number(p.get('in2_features'))];
    if (out === undefined || bias === undefined || weight.includes(undefined)) return undefined;
    return bias ? [['weight', weight as number[]], ['bias', [out]]] : [['weight', weight as number[]]];
  }
  if (/^BatchNorm[123]d$|^SyncBatchNorm$/.test(cls)) return affine(number(p.get('num_features')), flag(p.get('affine'), true));
  if (/^InstanceNorm[123]d$/.test(cls)) return affine(number(p.get('num_features')), flag(p.get('affine'), false));
  if (cls === 'GroupNorm') return affine(number(p.get('num_channels')), flag(p.get('affine'), true));
  if (cls === 'LayerNorm' || cls === 'RMSNorm') {
    const shape = sizes(p.get('normalized_shape'), 1);
    const on = flag(p.get('elementwise_affine'), true);
    if (!shape || on === undefined) return undefined;
    const size = shape.reduce((a, b) => a * b, 1);
    if (!on) return [];
    return cls === 'RMSNorm' ? [['weight', [size]]] : [['weight', [size]], ['bias', [size]]];
  }
  if (cls === 'Embedding') {
    const n = number(p.get('num_embeddings'));
    const d = number(p.get('embedding_dim'));
    return n === undefined || d === undefined ? undefined : [['weight', [n, d]]];
  }
  if (cls === 'PReLU') {
    const n = number(p.get('num_parameters') ?? { t: 'num', v: 1 });
    return n === undefined ? undefined : [['weight', [n]]];
  }
  if (cls === 'MultiheadAttention') {
    const e = number(p.get('embed_dim'));
    const bias = flag(p.get('bias'), true);
    if (e === undefined || bias === undefined || p.has('kdim') || p.has('vdim')) return undefined;
    const shapes: Shapes = [['in_proj_weight', [3 * e, e]], ['out_proj.weight', [e, e]]];
    return bias ? [...shapes, ['in_proj_bias', [3 * e]], ['out_proj.bias', [e]]] : shapes;
  }
  if (cls === 'RNN' || cls === 'LSTM' || cls === 'GRU') return recurrentShapes(cls, p);
  return undefined;
}

const elements = (shape: number[]): number => shape.reduce((a, b) => a * Math.max(0, Math.floor(b)), 1);

/**
 * PyTorch's parameter count of a module and everything under it, or the reason it cannot be
 * known (a layer or an `nn.Parameter` whose size is not known statically).
 */
export function countParameters(root: ModuleInstance): { count: number } | { why: string } {
  let count = 0;
  for (const m of walkModules(root)) {
    if (m.shape === 'leaf') {
      const cls = m.className.startsWith('torch.nn.') ? lastName(m.className) : '';
      const shapes = cls ? torchParameterShapes(cls, m.params) : undefined;
      if (!shapes) return { why: `the parameters of ${m.className} are not known statically` };
      count += shapes.reduce((s, [, shape]) => s + elements(shape), 0);
      continue;
    }
    for (const [name, v] of m.attrs) {
      if (v.t !== 'data' || !v.parameter) continue;
      if (!v.shape) return { why: `the size of ${m.className}.${name} is not known statically` };
      count += elements(v.shape);
    }
  }
  return { count };
}
