// Tensors a constructor makes rather than forward computes: `torch.zeros(1, c, 1, 1)`,
// `nn.Parameter(torch.empty(out, in, k, k))`, `register_buffer`, and the weight and bias a
// class deriving from a torch.nn layer (nn.Conv2d, _ConvNd) gets from `super().__init__`.
// Only their shapes are followed: what PyTorch's `parameters()` counts (parameters.ts).

import type { Value } from '../graph';
import type { PyValue } from './values';
import { lastName, list, num, unknown } from './values';
import { torchParameterShapes } from './parameters';
import { nameTable } from '../nameTable';

type Data = Extract<PyValue, { t: 'data' }>;

/** torch functions that make a tensor of the sizes given (`torch.zeros(2, 3)`, `torch.ones((2, 3))`). */
const BY_SIZES = new Set(['zeros', 'ones', 'empty', 'randn', 'rand', 'Tensor', 'FloatTensor', 'full']);

/** `nn.Parameter` under its paths. */
export const isParameterClass = (path: string): boolean => path === 'torch.nn.Parameter' || path === 'torch.nn.parameter.Parameter';

/** Sizes given as numbers, a tuple or list of them, or `*shape`-unpacked: undefined when any is unknown. */
function sizesOf(positional: PyValue[]): number[] | undefined {
  const flat = positional.length === 1 && positional[0].t === 'list' ? positional[0].items : positional;
  return flat.every((v) => v.t === 'num') ? flat.map((v) => (v as { v: number }).v) : undefined;
}

/** Whether a library path makes a tensor of the sizes given (`torch.zeros`, `torch.ones`, ...). */
export const makesTensorOfSizes = (path: string): boolean => path.startsWith('torch.') && BY_SIZES.has(lastName(path));

/** `torch.zeros(...)` and friends (`name` is the function's, see makesTensorOfSizes): a data tensor of the sizes given. */
export function createdTensor(name: string, positional: PyValue[]): Data {
  // torch.full(size, value) takes the sizes as its first argument.
  const given = name === 'full' ? positional.slice(0, 1) : positional;
  return { t: 'data', shape: sizesOf(given), parameter: false };
}

/** torch.nn.modules.utils's `_pair` and its kin, by the tuple length they make. */
const REPEATS = new Map([['_single', 1], ['_pair', 2], ['_triple', 3], ['_quadruple', 4]]);
const UTILS = 'torch.nn.modules.utils.';

/** The tuple length `_pair` and its kin make; undefined for other paths. */
export const repeatCount = (path: string): number | undefined => (path.startsWith(UTILS) ? REPEATS.get(path.slice(UTILS.length)) : undefined);

/** `_pair(k)` and its kin (`n` from repeatCount): a number repeated into a tuple, a tuple kept. */
export function repeatedTuple(n: number, positional: PyValue[]): PyValue {
  const [v] = positional;
  return v?.t === 'num' ? list(Array(n).fill(v), true) : (v ?? unknown('an argument not given'));
}

/** `nn.Parameter(data, requires_grad=...)`: the data as a parameter (PyTorch counts it either way). */
export function parameterOf(positional: PyValue[]): Data {
  const data = positional[0];
  return { t: 'data', shape: data?.t === 'data' ? data.shape : undefined, parameter: true };
}

/** An attribute of a data tensor: `.data` is itself, `.shape` its sizes. */
export function dataAttr(of: Data, name: string): PyValue | undefined {
  if (name === 'data') return of;
  if (name === 'shape') return of.shape ? list(of.shape.map(num), true) : unknown('a shape not known statically');
  return undefined;
}

/** A method of a data tensor: in-place initialisers and copies keep it, `.size()` gives its sizes. */
export function dataMethod(of: Data, name: string, positional: PyValue[]): PyValue {
  if (name === 'size') {
    const [dim] = positional;
    if (!of.shape) return unknown('a shape not known statically');
    if (dim?.t === 'num') return num(of.shape[dim.v < 0 ? of.shape.length + dim.v : dim.v] ?? 0);
    return list(of.shape.map(num), true);
  }
  if (name === 'numel') return of.shape ? num(of.shape.reduce((a, b) => a * b, 1)) : unknown('a size not known statically');
  // uniform_, normal_, zero_, fill_, to, float, clone, detach, requires_grad_, ...: the same tensor.
  return of;
}

/**
 * The attributes `super().__init__(...)` of a torch.nn layer gives a class deriving from it: its
 * constructor arguments (kernel_size, stride, dilation as tuples, as PyTorch keeps them) and
 * its weight and bias; undefined when the layer's parameters are not known statically.
 */
export function torchBaseAttributes(cls: string, params: ReadonlyMap<string, PyValue>): Map<string, PyValue> | undefined {
  const shapes = torchParameterShapes(cls, params);
  if (!shapes) return undefined;
  const attrs = new Map<string, PyValue>();
  const conv = /^(_ConvNd|Conv(Transpose)?[123]d)$/.test(cls);
  const kernel = params.get('kernel_size');
  const dims = kernel?.t === 'list' ? kernel.items.length : Number(/([123])d$/.exec(cls)?.[1] ?? 2);
  for (const [name, v] of params) attrs.set(name, conv && v.t === 'num' && ['kernel_size', 'stride', 'dilation', 'padding'].includes(name) ? list(Array(dims).fill(v), true) : v);
  if (conv) {
    for (const [name, fallback] of [['stride', 1], ['dilation', 1], ['padding', 0]] as const) if (!attrs.has(name)) attrs.set(name, list(Array(dims).fill(num(fallback)), true));
    if (!attrs.has('groups')) attrs.set('groups', num(1));
  }
  for (const [name, shape] of shapes) attrs.set(name, { t: 'data', shape, parameter: true });
  if (!shapes.some(([name]) => name === 'bias') && params.has('bias')) attrs.set('bias', { t: 'none' });
  return attrs;
}

/** `_ConvNd`'s constructor, which subclasses call with every argument. */
export const CONV_BASE_SIGNATURE = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'transposed', 'output_padding', 'groups', 'bias', 'padding_mode'];

/** Where the arguments of a functional convolution are, positionally, after the input. */
const FUNCTIONAL_CONVS: Readonly<Record<string, { weight: number; stride: number; padding: number; dilation: number; groups: number; pairs: boolean }>> = nameTable({
  // F.conv2d(input, weight, bias, stride, padding, dilation, groups)
  conv1d: { weight: 1, stride: 3, padding: 4, dilation: 5, groups: 6, pairs: false },
  conv2d: { weight: 1, stride: 3, padding: 4, dilation: 5, groups: 6, pairs: false },
  // torch.ops.torchvision.deform_conv2d(input, weight, offset, mask, bias, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups, ...)
  deform_conv2d: { weight: 1, stride: 5, padding: 7, dilation: 9, groups: 11, pairs: true },
});

/**
 * A functional convolution with a weight of known shape (`F.conv2d(x, self.weight, ...)`, the
 * deformable convolution of DCNv2) as the configuration of the convolution layer it amounts to
 * (the offsets of a deformable one are not followed); undefined when the weight is not known.
 */
export function functionalConv(name: string, args: PyValue[], keywords: Map<string, PyValue>): { kind: string; config: Record<string, Value> } | undefined {
  const at = FUNCTIONAL_CONVS[name];
  const weight = at && (keywords.get('weight') ?? args[at.weight]);
  if (!at || weight?.t !== 'data' || !weight.shape || weight.shape.length < 3) return undefined;
  const k = weight.shape.slice(2);
  const read = (i: number, key: string, fallback: number): number[] => {
    if (at.pairs) return [i, i + 1].map((j) => (args[j]?.t === 'num' ? (args[j] as { v: number }).v : fallback));
    const v = keywords.get(key) ?? args[i];
    if (v?.t === 'num') return k.map(() => v.v);
    if (v?.t === 'list' && v.items.every((x) => x.t === 'num')) return v.items.map((x) => (x as { v: number }).v);
    return k.map(() => fallback);
  };
  const groupsArg = keywords.get('groups') ?? args[at.groups];
  const groups = groupsArg?.t === 'num' ? groupsArg.v : 1;
  const padding = read(at.padding, 'padding', 0);
  const config: Record<string, Value> = {
    filters: weight.shape[0],
    kernelSize: k,
    strides: read(at.stride, 'stride', 1),
    padding: padding.every((p) => p === padding[0]) ? padding[0] : padding,
    dilationRate: read(at.dilation, 'dilation', 1),
    groups,
    inChannels: weight.shape[1] * groups,
  };
  return { kind: k.length === 1 ? 'conv1d' : 'conv2d', config };
}
