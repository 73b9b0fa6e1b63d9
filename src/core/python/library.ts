// What the library objects model code calls do, statically: torch.nn modules and containers,
// nn.init, functional operations on tensors, Keras layers and models, and the Python
// builtins model code leans on. Tensor operations add layers and nodes to the current graph.

import type { Layer, Range, Value } from '../graph';
import type { Expr } from './ast';
import type { Interpreter } from './interpreter';
import { SIGNATURES, torchLayer, type TorchLayerSpec } from './torchModules';
import { KERAS_SIGNATURES, kerasInitializerValue, kerasLayer, type KerasLayerSpec } from './keras';
import { FALSE, NONE, NO_KEYWORDS, TRUE, bool, lastName, list, newModule, num, setAttr, toConfig, truthy, unknown, walkModules, childModules, type ModuleInstance, type PyValue } from './values';
import { initializerFor } from './init';
import { argparserMethod, argumentParser } from './argparse';
import { formatField, strFormat } from './format';
import { markPooled, withPooledDims } from './keepDims';
import { CONV_BASE_SIGNATURE, createdTensor, dataMethod, functionalConv, isParameterClass, makesTensorOfSizes, parameterOf, repeatCount, repeatedTuple, torchBaseAttributes } from './tensorData';
import type { GraphContext } from './graphContext';
import { nameTable } from '../nameTable';

type Site = Extract<Expr, { type: 'call' }>;
type Tensor = Extract<PyValue, { t: 'tensor' }>;

const isTensor = (v: PyValue | undefined): v is Tensor => v?.t === 'tensor';

/** The tensors among `values`, in a new array made at its length (filter's grows from room for 16). */
function tensorsOf(values: PyValue[]): Tensor[] {
  let count = 0;
  for (const v of values) if (v.t === 'tensor') count++;
  const out = new Array<Tensor>(count);
  count = 0;
  for (const v of values) if (v.t === 'tensor') out[count++] = v;
  return out;
}

/** Functional activations (torch.X, F.X, tensor.X()) as estimate activation names. */
const FUNCTIONAL_ACTIVATIONS: Readonly<Record<string, string>> = nameTable({
  relu: 'relu', relu_: 'relu', relu6: 'relu6', elu: 'elu', elu_: 'elu', selu: 'selu', celu: 'elu', gelu: 'gelu', silu: 'swish',
  mish: 'mish', sigmoid: 'sigmoid', sigmoid_: 'sigmoid', tanh: 'tanh', tanh_: 'tanh', softplus: 'softplus', softsign: 'softsign',
  hardswish: 'hardSwish', hardsigmoid: 'hardSigmoid', leaky_relu: 'leakyReLU', leaky_relu_: 'leakyReLU',
});

/** Tensor methods and functions that keep the values (layout, dtype, device): the input passes. */
const PASS_THROUGH = new Set([
  'contiguous', 'permute', 'transpose', 'unsqueeze', 'squeeze', 'to', 'float', 'double', 'half', 'cuda', 'cpu', 'clone', 'detach',
  'type_as', 'expand', 'expand_as', 'repeat', 't', 'flip', 'roll', 'pad', 'normalize', 'movedim', 'swapaxes', 'narrow', 'select',
]);

/** Kinds whose output is (batch, features): flattening it again is a no-op. */
const FLATTENING = /^(flatten|global\w+Pooling[123]d)$/;

const num0 = (v: PyValue | undefined, fallback: number): number => (v?.t === 'num' ? v.v : fallback);

export class Library {
  // ------------------------------------------------------------ modules

  /** A leaf module's layers in the current graph (null: an identity), made on its first use there. */
  leafLayers(interp: Interpreter, m: ModuleInstance): Layer[] | null {
    const made = interp.graph.moduleLayers;
    const known = made.get(m);
    if (known !== undefined) return known;
    const layers = this.makeLayers(interp, m);
    made.set(m, layers);
    return layers;
  }

  private makeLayers(interp: Interpreter, m: ModuleInstance): Layer[] | null {
    const keras = m.className.startsWith('keras.');
    const short = lastName(m.className);
    const spec: TorchLayerSpec | KerasLayerSpec = keras ? kerasLayer(short, m.params) : LIBRARY_MODELS.test(m.className) ? libraryModel(m.className) : torchLayer(short, m.params);
    if ('identity' in spec && spec.identity) return null;
    // A layer written in an imported file sits, for diagnostics, on the call in this file that built it.
    const range = m.anchor ?? m.call?.range ?? { start: 0, end: 0 };
    const base = m.path ?? (keras ? kerasName(interp, m, short) : this.freshName(interp, short.toLowerCase()));
    const configRange = m.call && !m.anchor ? { start: m.call.argsRange.start + 1, end: Math.max(m.call.argsRange.start + 1, m.call.argsRange.end - 1) } : undefined;
    const props = m.anchor ? {} : keras ? kerasProps(m) : initProps(m);
    // The spec is made for this module alone: its config is copied only to add explicit initialisation.
    const config = !keras && m.init ? applyInit(spec.kind, { ...spec.config }, m) : spec.config;
    const shape = keras ? (spec as KerasLayerSpec).inputShape : torchInputShape(short, m.params);
    const recurrent = 'recurrent' in spec ? spec.recurrent : undefined;
    if (keras && spec.kind === 'bidirectional') {
      const inner = m.params.get('layer');
      const wrapped = inner?.t === 'module' ? this.leafLayers(interp, inner.m)?.[0] : undefined;
      const layer = interp.graph.newLayer({ kind: 'bidirectional', name: base, config, unknown: spec.unknown, range, props, configRange, inputShape: shape });
      if (wrapped) layer.wrapped = wrapped;
      return [layer];
    }
    if ('attention' in spec && spec.attention) {
      // nn.MultiheadAttention: in_proj → softmax attention → out_proj, named as PyTorch's parameters.
      const { inProj, outProj, embedDim } = spec.attention;
      return [
        interp.graph.newLayer({ kind: 'dense', name: `${base}.in_proj`, config: inProj, unknown: spec.unknown, range, props, configRange, note: spec.note, inputShape: [null, embedDim] }),
        interp.graph.newLayer({ kind: spec.kind, name: base, config, unknown: {}, range }),
        interp.graph.newLayer({ kind: 'dense', name: `${base}.out_proj`, config: outProj, unknown: {}, range }),
      ];
    }
    if (!recurrent || (recurrent.layers <= 1 && !recurrent.bidirectional)) {
      const layer = interp.graph.newLayer({ kind: spec.kind, name: base, config, unknown: spec.unknown, range, props, configRange, note: spec.note, inputShape: shape });
      if ('adaptiveSize' in spec && spec.adaptiveSize) interp.graph.adaptive.set(layer.id, spec.adaptiveSize);
      return [layer];
    }
    // Stacked and bidirectional recurrences: one layer per PyTorch layer, dropout between.
    const layers: Layer[] = [];
    for (let k = 0; k < recurrent.layers; k++) {
      const name = recurrent.layers > 1 ? `${base}.l${k}` : base;
      if (k > 0 && recurrent.dropout > 0) layers.push(interp.graph.newLayer({ kind: 'dropout', name: `${base}.dropout${k}`, config: { rate: recurrent.dropout }, range }));
      const inner = interp.graph.newLayer({ kind: spec.kind, name, config, unknown: spec.unknown, range, configRange, inputShape: k === 0 ? shape : undefined });
      if (!recurrent.bidirectional) layers.push(inner);
      else {
        interp.graph.layers.splice(interp.graph.layers.lastIndexOf(inner), 1);
        const wrapper = interp.graph.newLayer({ kind: 'bidirectional', name: `${name}.bidirectional`, config: { mergeMode: 'concat' }, range, inputShape: k === 0 ? shape : undefined });
        wrapper.wrapped = inner;
        layers.push(wrapper);
      }
    }
    return layers;
  }

  private freshName(interp: Interpreter, base: string): string {
    const prefix = interp.frame.self?.path;
    return prefix ? `${prefix}.${base}` : base;
  }

  /** Calling a module on tensors. */
  applyModule(interp: Interpreter, m: ModuleInstance, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
    const first = positional[0];
    switch (m.shape) {
      case 'leaf': {
        let inputs = tensorsOf(first?.t === 'list' ? first.items : positional);
        if (!inputs.length) return unknown(`${m.className} applied to a value that is not a tensor`);
        const layers = this.leafLayers(interp, m);
        if (layers === null) return inputs[0];
        // Flattening what global pooling already flattened changes nothing (and tfjs refuses it).
        if (layers[0].kind === 'flatten' && inputs[0].flat) return inputs[0];
        // Attention reads its query; keys and values other than the query are not followed.
        if (layers[1]?.kind === 'attention') {
          if (inputs.some((t) => t.node !== inputs[0].node)) interp.graph.note(`${layers[1].name}: keys and values other than the query are not followed (read as self-attention)`);
          inputs.length = 1;
        }
        // `inputs` is this call's own array (filtered above).
        for (let i = 0; i < inputs.length; i++) inputs[i] = withPooledDims(interp.graph, layers[0].kind, inputs[i]);
        let x: PyValue = interp.graph.apply(layers[0], inputs);
        for (let i = 1; i < layers.length; i++) x = interp.graph.apply(layers[i], [x]);
        // Adaptive pooling to k×k (k > 1) is global pooling only until the image size is chosen: its output is not flat.
        const last = layers[layers.length - 1];
        if (x.t === 'tensor' && FLATTENING.test(last.kind) && !interp.graph.adaptive.has(last.id)) x.flat = true;
        const short = lastName(m.className);
        const adaptive = m.className.startsWith('torch.') && /^AdaptiveAvg|^AdaptiveMax/.test(short);
        if (adaptive && !interp.graph.adaptive.has(last.id)) markPooled(x, Number(/([123])d$/.exec(last.kind)?.[1] ?? 2), last.id);
        if (m.className.startsWith('torch.') && (short === 'LSTM' || short === 'GRU' || short === 'RNN')) {
          return list([x, short === 'LSTM' ? list([x, x], true) : x], true);
        }
        if (short === 'MultiheadAttention') return list([x, unknown('attention weights')], true);
        return x;
      }
      case 'sequential': {
        let x: PyValue = first ?? unknown('a Sequential applied to nothing');
        for (const child of m.attrs.values()) {
          if (child.t === 'module') x = this.applyModule(interp, child.m, [x], NO_KEYWORDS, site);
        }
        return x;
      }
      case 'custom': {
        if (m.functional) return applyFunctional(interp.graph, m.functional, positional);
        const forward = m.cls ? (interp.classMember(m.cls, m.classScope, 'forward') ?? interp.classMember(m.cls, m.classScope, 'call')) : undefined;
        // A subclass of a torch.nn layer that keeps the layer's forward.
        if (forward?.t !== 'func' && m.torchBase) return this.applyModule(interp, m.torchBase, positional.slice(0, 1), new Map(), site);
        if (forward?.t !== 'func') return unknown(`${m.className} has no forward method`);
        return interp.callFunction({ t: 'func', def: forward.def, scope: forward.scope, self: m }, positional, keywords);
      }
      default:
        return unknown(`a ${m.className} cannot be called`);
    }
  }

  /** super().__init__(...) and friends when the base is a library class. */
  superInit(interp: Interpreter, base: string, name: string, self: ModuleInstance, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
    const cls = lastName(base);
    // The layer's own forward (`super().forward(x)`, `super()._conv_forward(x, weight, bias)`) applies the layer.
    if ((name === 'forward' || name === '_conv_forward') && self.torchBase) return this.applyModule(interp, self.torchBase, positional.slice(0, 1), new Map(), site);
    if (name !== '__init__' || !base.startsWith('torch.nn.')) return NONE;
    if (cls === 'Sequential' || cls === 'ModuleList' || cls === 'ModuleDict') {
      self.shape = cls === 'Sequential' && !(self.cls && interp.classMember(self.cls, self.classScope, 'forward')) ? 'sequential' : self.shape;
      fillContainer(self, cls, positional);
      return NONE;
    }
    this.initTorchBase(interp, cls, self, positional, keywords, site);
    return NONE;
  }

  /** `super().__init__(...)` of a torch.nn layer (nn.Conv2d, _ConvNd): the layer's attributes and weights on self, and the layer that its forward applies. */
  private initTorchBase(interp: Interpreter, cls: string, self: ModuleInstance, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): void {
    const params = bind(cls === '_ConvNd' ? CONV_BASE_SIGNATURE : (SIGNATURES[cls] ?? []), positional, keywords);
    const attrs = torchBaseAttributes(cls, params);
    if (!attrs) return;
    attrs.forEach((v, k) => setAttr(self, k, v));
    // _ConvNd is the convolution of as many dimensions as its kernel has.
    const kernel = attrs.get('kernel_size');
    const layerClass = cls === '_ConvNd' ? `Conv${kernel?.t === 'list' ? kernel.items.length : 2}d` : cls;
    const layer = leaf(interp, `torch.nn.${layerClass}`, params, site);
    if (layer.t === 'module') self.torchBase = layer.m;
  }

  // ------------------------------------------------------------ methods

  method(interp: Interpreter, of: PyValue, name: string, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
    const [a0, a1] = positional;
    switch (of.t) {
      case 'argparser':
        return argparserMethod(of, name, positional, keywords);
      case 'tensor':
        return this.tensorFunction(interp, name, [of, ...positional], keywords, site);
      case 'list':
        if (name === 'append' && a0) of.items.push(a0);
        else if (name === 'extend' && a0) of.items.push(...(interp.iterate(a0) ?? []));
        else if (name === 'insert' && a0?.t === 'num' && a1) of.items.splice(a0.v, 0, a1);
        else if (name === 'pop') return of.items.pop() ?? unknown('pop from an empty list');
        else if (name === 'copy') return list([...of.items], of.tuple);
        else if (name === 'index' || name === 'count') return unknown(`list.${name}`);
        return NONE;
      case 'dict':
        if (name === 'items') return list([...of.entries].map(([k, v]) => list([{ t: 'str', v: k }, v], true)));
        if (name === 'keys') return list([...of.entries.keys()].map((k) => ({ t: 'str', v: k })));
        if (name === 'values') return list([...of.entries.values()]);
        if (name === 'get') return (a0?.t === 'str' ? of.entries.get(a0.v) : undefined) ?? a1 ?? NONE;
        if (name === 'update' && a0?.t === 'dict') a0.entries.forEach((v, k) => of.entries.set(k, v));
        if (name === 'pop') {
          const v = a0?.t === 'str' ? of.entries.get(a0.v) : undefined;
          if (a0?.t === 'str') of.entries.delete(a0.v);
          return v ?? a1 ?? NONE;
        }
        return NONE;
      case 'str':
        if (name === 'find') return num(a0?.t === 'str' ? of.v.indexOf(a0.v) : -1);
        if (name === 'startswith' || name === 'endswith') return bool(a0?.t === 'str' && (name === 'startswith' ? of.v.startsWith(a0.v) : of.v.endsWith(a0.v)));
        if (name === 'lower' || name === 'upper') return { t: 'str', v: name === 'lower' ? of.v.toLowerCase() : of.v.toUpperCase() };
        if (name === 'format') {
          const text = strFormat(of.v, positional, keywords);
          return text === undefined ? unknown('str.format of values not known statically') : { t: 'str', v: text };
        }
        return unknown(`str.${name}`);
      case 'param':
        (of.m.initSites ??= new Map()).set(of.name, site.range);
        return paramMethod(of.m, of.name, name, positional);
      case 'data':
        return dataMethod(of, name, positional);
      case 'module':
        return this.moduleMethod(interp, of.m, name, positional, keywords, site);
      default:
        return unknown(`.${name}() on a value not known statically`);
    }
  }

  private moduleMethod(interp: Interpreter, m: ModuleInstance, name: string, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
    const [a0, a1] = positional;
    switch (name) {
      case 'append':
      case 'add':
        if (a0) setAttr(m, String(m.attrs.size), a0);
        return NONE;
      case 'extend':
        for (const item of interp.iterate(a0 ?? NONE) ?? []) setAttr(m, String(m.attrs.size), item);
        return NONE;
      case 'add_module':
      case 'register_module':
        if (a0?.t === 'str' && a1) setAttr(m, a0.v, a1);
        return NONE;
      case 'apply': {
        // PyTorch applies fn to every submodule, children first, then to the module itself.
        if (!a0) return NONE;
        const order = walkModules(m).reverse();
        for (const sub of order) interp.call(a0, [{ t: 'module', m: sub }], new Map(), site);
        return { t: 'module', m };
      }
      case 'modules':
        return list(walkModules(m).map((x) => ({ t: 'module', m: x }) as PyValue));
      case 'children':
        return list(childModules(m).map(([, x]) => ({ t: 'module', m: x }) as PyValue));
      case 'named_modules':
        return list(walkModules(m).map((x) => list([{ t: 'str', v: x.path ?? '' }, { t: 'module', m: x }], true)));
      case 'items':
        return list([...m.attrs].map(([k, v]) => list([{ t: 'str', v: k }, v], true)));
      case 'values':
        return list([...m.attrs.values()]);
      case 'keys':
        return list([...m.attrs.keys()].map((k) => ({ t: 'str', v: k })));
      case 'forward':
      case 'call':
      case '__call__':
        return this.applyModule(interp, m, positional, keywords, site);
      case '_conv_forward':
        // A subclass of nn.Conv2d convolving with a weight of its own making: the layer, applied.
        return m.torchBase ? this.applyModule(interp, m.torchBase, positional.slice(0, 1), new Map(), site) : unknown(`${m.className}._conv_forward() is not followed`);
      case 'to':
      case 'cuda':
      case 'cpu':
      case 'train':
      case 'eval':
      case 'float':
      case 'double':
      case 'requires_grad_':
        return { t: 'module', m };
      case 'register_buffer':
      case 'register_parameter':
        // A buffer is no parameter: PyTorch's parameters() leaves it out.
        if (a0?.t === 'str' && a1) setAttr(m, a0.v, a1.t === 'data' ? { ...a1, parameter: name === 'register_parameter' } : a1);
        return NONE;
      case 'compile':
      case 'summary':
        return NONE;
      default:
        return unknown(`${m.className}.${name}() is not followed`);
    }
  }

  // ------------------------------------------------------------ tensors

  /** One functional operation on tensors as a layer keyed by its call site in the current module. */
  op(interp: Interpreter, label: string, kind: string, config: Record<string, Value>, inputs: Tensor[], range: Range, note?: string): PyValue {
    const self = interp.frame.self;
    const prefix = self?.path;
    const key = `${prefix ?? ''}|${range.start}|${label}`;
    // An operation in an imported file's forward sits on the call in this file that built its module.
    const at = range.start >= interp.hostLength ? (self?.anchor ?? self?.call?.range ?? range) : range;
    const layer = interp.graph.layer(key, { kind, name: prefix ? `${prefix}.${label}` : label, config, range: at, note });
    const out = interp.graph.apply(layer, inputs);
    if (out.t === 'tensor' && FLATTENING.test(kind)) out.flat = true;
    return out;
  }

  tensorBinary(interp: Interpreter, op: string, left: PyValue, right: PyValue, range: Range, inPlace: boolean): PyValue {
    void inPlace;
    if (isTensor(left) && isTensor(right)) {
      if (op === '+' || op === '-') return this.op(interp, 'add', 'add', {}, [left, right], range);
      if (op === '*') return this.op(interp, 'multiply', 'multiply', {}, [left, right], range);
      interp.graph.note(`the tensor operator ${op} is read as passing its left operand`);
      return left;
    }
    const tensor = isTensor(left) ? left : (right as Tensor);
    const other = isTensor(left) ? right : left;
    if (other.t === 'num' && op === '*') return this.scaleTensor(interp, tensor, other.v, range);
    if (other.t === 'num' && op === '/' && isTensor(left) && other.v !== 0) return this.scaleTensor(interp, tensor, 1 / other.v, range);
    return tensor;
  }

  scaleTensor(interp: Interpreter, x: Tensor, scale: number, range: Range): PyValue {
    return this.op(interp, 'scale', 'rescaling', { scale, offset: 0 }, [x], range);
  }

  /** torch.X(...), F.X(...) and tensor.X(...) with the tensor first. */
  tensorFunction(interp: Interpreter, name: string, args: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
    const x = args[0];
    const range = site.range;
    const dim = args[1] ?? keywords.get('dim');
    if (name === 'stack' && x?.t === 'list' && x.items.every(isTensor) && dim?.t === 'num' && dim.v === 0) {
      // Stacked along a new first axis (BiFPN's weighted inputs): the tensors, for a sum over that axis to add.
      return list(x.items);
    }
    if ((name === 'sum' || name === 'mean') && x?.t === 'list' && x.items.length > 1 && x.items.every(isTensor) && dim?.t === 'num' && dim.v === 0) {
      const sum = this.op(interp, 'add', 'add', {}, x.items as Tensor[], range);
      return name === 'mean' && isTensor(sum) ? this.scaleTensor(interp, sum, 1 / x.items.length, range) : sum;
    }
    if (name === 'cat' || name === 'concat' || name === 'concatenate' || name === 'stack') {
      const items = x?.t === 'list' ? x.items.filter(isTensor) : [];
      if (!items.length) return unknown(`torch.${name} of values not known statically`);
      if (name === 'stack') interp.graph.note('torch.stack is read as a concatenation');
      return this.op(interp, 'cat', 'concatenate', { axis: -1 }, items, range);
    }
    if (!isTensor(x)) return unknown(`${name}() of a value that is not a tensor`);
    const arg = (i: number, key: string): PyValue | undefined => keywords.get(key) ?? args[i];
    const activation = FUNCTIONAL_ACTIVATIONS[name];
    if (activation) {
      const config: Record<string, Value> = { activation };
      if (activation === 'leakyReLU') config.alpha = num0(arg(1, 'negative_slope'), 0.01);
      if (activation === 'elu') config.alpha = num0(arg(1, 'alpha'), 1);
      if (name === 'gelu' && keywords.get('approximate')?.t === 'str' && (keywords.get('approximate') as { v: string }).v === 'tanh') config.activation = 'gelu_new';
      return this.op(interp, name.replace(/_$/, ''), 'activation', config, [x], range);
    }
    if (name === 'softmax' || name === 'log_softmax') return this.op(interp, name, 'softmax', { axis: -1 }, [x], range);
    if (name === 'add' && isTensor(args[1])) return this.op(interp, 'add', 'add', {}, [x, args[1]], range);
    if (name === 'mul' && isTensor(args[1])) return this.op(interp, 'multiply', 'multiply', {}, [x, args[1]], range);
    if ((name === 'add' || name === 'mul') && args[1]?.t === 'num') return name === 'mul' ? this.scaleTensor(interp, x, args[1].v, range) : x;
    if (/^dropout[123]?d?$|^alpha_dropout$/.test(name)) {
      const training = keywords.get('training');
      if (training && truthy(training) === false) return x;
      return this.op(interp, 'dropout', 'dropout', { rate: num0(arg(1, 'p'), 0.5) }, [x], range);
    }
    const pool = /^(max|avg)_pool([123])d$/.exec(name);
    if (pool) {
      const k = num0(arg(1, 'kernel_size'), 2);
      const s = num0(arg(2, 'stride'), k);
      const n = Number(pool[2]);
      return this.op(interp, `${pool[1]}_pool`, `${pool[1] === 'max' ? 'max' : 'average'}Pooling${n}d`, { poolSize: Array(n).fill(k), strides: Array(n).fill(s), padding: num0(arg(3, 'padding'), 0) }, [x], range);
    }
    const adaptive = /^adaptive_(max|avg)_pool([123])d$/.exec(name);
    if (adaptive) {
      const out = this.op(interp, `${adaptive[1]}_pool`, `global${adaptive[1] === 'max' ? 'Max' : 'Average'}Pooling${adaptive[2]}d`, {}, [x], range);
      // The node just made applies the pooling layer.
      markPooled(out, Number(adaptive[2]), interp.graph.nodes[interp.graph.nodes.length - 1].layer);
      return out;
    }
    if (name === 'flatten' || ((name === 'view' || name === 'reshape') && args.length === 3 && args[2]?.t === 'num' && args[2].v === -1)) {
      if (x.flat) return x;
      return this.op(interp, 'flatten', 'flatten', {}, [x], range);
    }
    const unflat = (name === 'view' || name === 'reshape') && channelsLast(args.slice(2));
    if (unflat) return this.op(interp, name, 'reshape', { targetShape: unflat }, [x], range);
    if (name === 'mean' && (args.length > 1 || keywords.has('dim'))) {
      const dim = toConfig(arg(1, 'dim') ?? NONE);
      const spatial = Array.isArray(dim) && dim.length === 2;
      return this.op(interp, 'mean', spatial ? 'globalAveragePooling2d' : 'globalAveragePooling1d', {}, [x], range);
    }
    if (name === 'layer_norm') return this.op(interp, 'layer_norm', 'layerNormalization', { axis: -1, epsilon: num0(keywords.get('eps'), 1e-5), center: false, scale: false }, [x], range);
    if (name === 'interpolate' || name === 'upsample') {
      const f = num0(keywords.get('scale_factor'), 2);
      return this.op(interp, 'upsample', 'upSampling2d', { size: [f, f], interpolation: 'nearest' }, [x], range);
    }
    const conv = functionalConv(name, args, keywords);
    if (conv) {
      if (name === 'deform_conv2d') interp.graph.note('deform_conv2d is read as a plain convolution with its weight (the offsets are not followed)');
      return this.op(interp, name, conv.kind, conv.config, [x], range);
    }
    if (!PASS_THROUGH.has(name) && !['view', 'reshape', 'size', 'dim', 'chunk', 'split'].includes(name)) {
      interp.graph.note(`${name}() is read as passing its input unchanged`);
    }
    if (name === 'size' || name === 'dim' || name === 'numel') return unknown('a tensor size is not known statically');
    if (name === 'chunk' || name === 'split' || name === 'unbind') {
      const n = name === 'chunk' ? num0(arg(1, 'chunks'), 2) : 2;
      return list(Array.from({ length: Math.min(n, 64) }, () => x), true);
    }
    return x;
  }
}

/**
 * `x.view(batch, C, H, W)` (or `(batch, C, L)`) with every axis but the batch's known: a vector
 * made an image, as a DCGAN generator does after its Linear. The graph is channels-last.
 */
function channelsLast(axes: PyValue[]): number[] | undefined {
  if (axes.length < 2 || axes.length > 3) return undefined;
  const dims = axes.map((v) => (v.t === 'num' && Number.isInteger(v.v) && v.v > 0 ? v.v : undefined));
  if (dims.some((d) => d === undefined)) return undefined;
  const [channels, ...spatial] = dims as number[];
  return [...spatial, channels];
}

// ------------------------------------------------------------ library calls

/** Library paths remembered at most (refs, call kinds): an editor session reads many files. */
const MAX_PATHS = 10_000;

const MATH: Readonly<Record<string, (...xs: number[]) => number>> = nameTable({
  sqrt: Math.sqrt, exp: Math.exp, floor: Math.floor, ceil: Math.ceil, log2: Math.log2, log10: Math.log10, pow: Math.pow, fabs: Math.abs,
  // math.log(x, base): ECA-style kernel sizes take log2 this way.
  log: (x: number, base?: number) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)),
});

/**
 * Library refs by path, then attribute name: `nn.Linear` is the same (never changed) ref each
 * time, its path one string, which libraryCall then finds without building and hashing it again.
 */
const refs = new Map<string, Map<string, PyValue>>();

/** `a.b` on a library object. */
export function libraryAttr(path: string, name: string): PyValue {
  if (path.startsWith('class:') && name === '__name__') return { t: 'str', v: lastName(path.slice(6)) };
  if (path === 'math' && name === 'pi') return num(Math.PI);
  let byName = refs.get(path);
  if (byName === undefined) {
    if (refs.size >= MAX_PATHS) refs.clear();
    byName = new Map();
    refs.set(path, byName);
  }
  let ref = byName.get(name);
  if (ref === undefined) {
    ref = { t: 'ref', path: `${path}.${name}` };
    byName.set(name, ref);
  }
  return ref;
}

function fillContainer(m: ModuleInstance, cls: string, positional: PyValue[]): void {
  const [a0] = positional;
  if (cls === 'Sequential' && positional.length === 1 && a0?.t === 'dict') a0.entries.forEach((v, k) => m.attrs.set(k, v));
  else if (cls === 'ModuleDict' && a0?.t === 'dict') a0.entries.forEach((v, k) => m.attrs.set(k, v));
  else if (cls === 'ModuleDict' && a0?.t === 'list') {
    for (const pair of a0.items) if (pair.t === 'list' && pair.items[0]?.t === 'str' && pair.items[1]) m.attrs.set(pair.items[0].v, pair.items[1]);
  } else {
    const items = cls === 'Sequential' ? positional : a0?.t === 'list' ? a0.items : [];
    items.forEach((v, i) => m.attrs.set(String(i), v));
  }
}

function bind(signature: string[], positional: PyValue[], keywords: Map<string, PyValue>): Map<string, PyValue> {
  // Keyword maps are never changed once made, nor are a leaf's params: a call of keywords alone shares its map.
  if (!positional.length) return keywords;
  const params = new Map<string, PyValue>();
  for (let i = 0; i < positional.length; i++) if (signature[i]) params.set(signature[i], positional[i]);
  keywords.forEach((v, k) => params.set(k, v));
  return params;
}

/** A Keras functional model called on tensors, as a layer of another model: its layers applied again (the same weights) to them. */
function applyFunctional(graph: GraphContext, fn: NonNullable<ModuleInstance['functional']>, positional: PyValue[]): PyValue {
  if (fn.graph !== graph) return unknown('a functional Keras model built in another function, used as a layer, is not followed');
  const given = positional.flatMap((v) => (v.t === 'list' ? v.items : [v])).filter(isTensor);
  const inner = fn.inputs.filter(isTensor);
  if (!given.length || given.length !== inner.length) return unknown(`a functional Keras model of ${inner.length} inputs called on ${given.length} tensors`);
  const mapped = new Map<string, PyValue>(inner.map((t, i) => [t.node, given[i]]));
  // Nodes are in creation order, so every input of a node is mapped before the node.
  for (const node of [...graph.nodes]) {
    if (mapped.has(node.id) || !node.inputs.length || !node.inputs.every((id) => mapped.has(id))) continue;
    const layer = graph.layerById(node.layer);
    if (layer) mapped.set(node.id, graph.apply(layer, node.inputs.map((id) => mapped.get(id) as PyValue)));
  }
  const remap = (v: PyValue): PyValue =>
    v.t === 'tensor' ? (mapped.get(v.node) ?? unknown('an output of the functional model not reached from its inputs')) : v.t === 'list' ? list(v.items.map(remap), v.tuple) : v;
  return remap(fn.outputs);
}

/** Networks other libraries build whole, which gradlint does not read inside. */
const LIBRARY_MODELS = /^(torchvision\.models\.|timm\.create_model$|timm\.models\.)/;

function libraryModel(path: string): TorchLayerSpec {
  return { kind: 'opaque', config: { module: path }, unknown: {}, note: `${path}() is a network of another library that gradlint does not read inside; read as identity.` };
}

function leaf(interp: Interpreter, className: string, params: ReadonlyMap<string, PyValue>, site: Site): PyValue {
  const m = newModule(className, 'leaf', params);
  interp.leavesCreated++;
  m.call = site;
  if (site.range.start >= interp.hostLength) m.anchor = interp.anchors[interp.anchors.length - 1];
  return { t: 'module', m };
}

function builtin(interp: Interpreter, name: string, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
  const [a0, a1, a2] = positional;
  const nums = positional.every((v) => v.t === 'num');
  switch (name) {
    case 'range': {
      if (!nums || !positional.length) return unknown('a range not known statically');
      const [start, stop, step] = positional.length === 1 ? [0, (a0 as { v: number }).v, 1] : [(a0 as { v: number }).v, (a1 as { v: number }).v, a2 ? (a2 as { v: number }).v : 1];
      if (step === 0 || Math.abs((stop - start) / step) > 4096) return unknown('a range too long to follow');
      const out: PyValue[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(num(i));
      return list(out);
    }
    case 'len': {
      const items = a0 ? interp.iterate(a0) : undefined;
      return items ? num(items.length) : unknown('a length not known statically');
    }
    case 'int':
      return a0?.t === 'num' ? num(Math.trunc(a0.v)) : a0?.t === 'str' && a0.v.trim() !== '' && Number.isFinite(Number(a0.v)) ? num(Math.trunc(Number(a0.v))) : unknown('int() of a value not known statically');
    case 'float':
      return a0?.t === 'num' ? a0 : unknown('float() of a value not known statically');
    case 'str': {
      // Names built as 'res' + str(stage) + block; numbers print as Python prints an int.
      const text = a0 ? formatField(a0, '') : '';
      return text === undefined ? unknown('str() of a value not known statically') : { t: 'str', v: text };
    }
    case 'bool': {
      const b = a0 ? truthy(a0) : false;
      return b === undefined ? unknown('bool() of a value not known statically') : bool(b);
    }
    case 'list':
    case 'tuple': {
      const items = a0 ? interp.iterate(a0) : [];
      return items ? list([...items], name === 'tuple') : unknown(`${name}() of a value not known statically`);
    }
    case 'dict':
      return { t: 'dict', entries: new Map(keywords) };
    case 'enumerate': {
      const items = a0 ? interp.iterate(a0) : undefined;
      return items ? list(items.map((v, i) => list([num(i), v], true))) : unknown('enumerate() of a value not known statically');
    }
    case 'zip': {
      const lists = positional.map((v) => interp.iterate(v));
      if (lists.some((l) => !l)) return unknown('zip() of values not known statically');
      const n = Math.min(...lists.map((l) => (l as PyValue[]).length));
      return list(Array.from({ length: n }, (_, i) => list(lists.map((l) => (l as PyValue[])[i]), true)));
    }
    case 'reversed': {
      const items = a0 ? interp.iterate(a0) : undefined;
      return items ? list([...items].reverse()) : unknown('reversed() of a value not known statically');
    }
    case 'min':
    case 'max':
    case 'sum': {
      const items = positional.length === 1 ? interp.iterate(a0) : positional;
      if (!items || !items.every((v) => v.t === 'num')) return unknown(`${name}() of values not known statically`);
      const vs = items.map((v) => (v as { v: number }).v);
      return num(name === 'sum' ? vs.reduce((s, v) => s + v, 0) : name === 'min' ? Math.min(...vs) : Math.max(...vs));
    }
    case 'abs':
      return a0?.t === 'num' ? num(Math.abs(a0.v)) : unknown('abs() of a value not known statically');
    case 'round':
      return a0?.t === 'num' ? num(Math.round(a0.v)) : unknown('round() of a value not known statically');
    case 'isinstance':
      return a0 && a1 ? isInstance(interp, a0, a1) : unknown('isinstance() without arguments');
    case 'getattr':
      return a0 && a1?.t === 'str' ? interp.attr(a0, a1.v) : a2 ?? unknown('getattr() not known statically');
    case 'hasattr':
      return a0?.t === 'module' && a1?.t === 'str' ? bool(a0.m.attrs.has(a1.v) || a0.m.params.has(a1.v)) : unknown('hasattr() not known statically');
    case 'setattr':
      if (a0?.t === 'module' && a1?.t === 'str' && a2) setAttr(a0.m, a1.v, a2);
      return NONE;
    case 'type':
      return a0?.t === 'module' ? { t: 'ref', path: a0.m.className } : unknown('type() of a value not known statically');
    case 'print':
      return NONE;
    default:
      void site;
      return unknown(`${name}() is not followed`);
  }
}

function isInstance(interp: Interpreter, v: PyValue, cls: PyValue): PyValue {
  if (cls.t === 'list') {
    const any = cls.items.map((c) => isInstance(interp, v, c));
    if (any.some((r) => r.t === 'bool' && r.v)) return TRUE;
    return any.every((r) => r.t === 'bool') ? FALSE : unknown('isinstance() not known statically');
  }
  if (v.t !== 'module') return v.t === 'unknown' ? v : FALSE;
  if (cls.t === 'ref') {
    const path = cls.path;
    if (path === 'torch.nn.Module' || path === 'keras.layers.Layer') return TRUE;
    const short = lastName(path);
    const own = lastName(v.m.className);
    return bool(own === short && (v.m.className.split('.')[0] === path.split('.')[0] || !path.includes('.')));
  }
  if (cls.t === 'class') return bool(v.m.cls === cls.def);
  return unknown('isinstance() not known statically');
}

function paramMethod(m: ModuleInstance, param: string, name: string, positional: PyValue[]): PyValue {
  const [a0, a1] = positional;
  const set = (spec: Value) => (m.init ??= new Map()).set(param, spec);
  switch (name) {
    case 'normal_':
      set({ name: 'randomNormal', mean: num0(a0, 0), stddev: num0(a1, 1) });
      break;
    case 'uniform_':
      set({ name: 'randomUniform', minval: num0(a0, 0), maxval: num0(a1, 1) });
      break;
    case 'zero_':
      set({ name: 'zeros' });
      break;
    case 'fill_':
      set(a0?.t === 'num' ? (a0.v === 0 ? { name: 'zeros' } : a0.v === 1 ? { name: 'ones' } : { name: 'constant', value: a0.v }) : { name: 'constant' });
      break;
  }
  return { t: 'param', m, name: param };
}

/** What libraryCall does with a library path: it depends on the path alone. */
type CallKind =
  | 'builtin' | 'math' | 'argumentParser' | 'orderedDict' | 'init' | 'parameter' | 'partial' | 'createdTensor' | 'repeatedTuple'
  | 'tensorFunction' | 'torchContainer' | 'torchModule' | 'keras' | 'libraryModel' | 'notFollowed';

interface PathCall {
  kind: CallKind;
  /** The last name of the path (`Conv2d` of `torch.nn.Conv2d`). */
  name: string;
  /** repeatedTuple: the tuple length (`_pair`: 2). */
  repeat: number;
}

function classifyCall(path: string): PathCall {
  const name = lastName(path);
  const call = (kind: CallKind, repeat = 0): PathCall => ({ kind, name, repeat });
  if (path.startsWith('builtins.')) return call('builtin');
  if (path.startsWith('math.') && MATH[name]) return call('math');
  if (path === 'argparse.ArgumentParser') return call('argumentParser');
  if (path === 'collections.OrderedDict') return call('orderedDict');
  if (path.startsWith('torch.nn.init.')) return call('init');
  if (isParameterClass(path)) return call('parameter');
  if (path === 'functools.partial') return call('partial');
  if (makesTensorOfSizes(path)) return call('createdTensor');
  const repeat = repeatCount(path);
  if (repeat) return call('repeatedTuple', repeat);
  if (path.startsWith('torch.') && !/^torch\.nn\.[A-Z]/.test(path)) return call('tensorFunction');
  if (/^torch\.nn\.[A-Z]\w*$/.test(path)) return call(name === 'Sequential' || name === 'ModuleList' || name === 'ModuleDict' ? 'torchContainer' : 'torchModule');
  if (path.startsWith('keras.')) return call('keras');
  // A ready-made network of another library (`torchvision.models.resnet18()`): one opaque layer.
  if (LIBRARY_MODELS.test(path)) return call('libraryModel');
  return call('notFollowed');
}

/** Paths classified so far: a file calls the same few library paths over and over. */
const pathCalls = new Map<string, PathCall>();

function pathCall(path: string): PathCall {
  let call = pathCalls.get(path);
  if (call === undefined) {
    if (pathCalls.size >= MAX_PATHS) pathCalls.clear();
    call = classifyCall(path);
    pathCalls.set(path, call);
  }
  return call;
}

/** Library functions and classes called. */
export function libraryCall(interp: Interpreter, path: string, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
  const { kind, name, repeat } = pathCall(path);
  switch (kind) {
    case 'builtin':
      return builtin(interp, name, positional, keywords, site);
    case 'math':
      return positional.every((v) => v.t === 'num') ? num(MATH[name](...positional.map((v) => (v as { v: number }).v))) : unknown(`${path}() is not followed`);
    case 'argumentParser':
      return argumentParser();
    case 'orderedDict': {
      const entries = new Map<string, PyValue>();
      const [a0] = positional;
      if (a0?.t === 'list') for (const pair of a0.items) if (pair.t === 'list' && pair.items[0]?.t === 'str' && pair.items[1]) entries.set(pair.items[0].v, pair.items[1]);
      if (a0?.t === 'dict') a0.entries.forEach((v, k) => entries.set(k, v));
      return { t: 'dict', entries };
    }
    case 'init':
      if (positional[0]?.t === 'param') (positional[0].m.initSites ??= new Map()).set(positional[0].name, site.range);
      return initCall(name, positional, keywords);
    case 'parameter':
      return parameterOf(positional);
    case 'partial':
      return positional[0] ? { t: 'partial', fn: positional[0], positional: positional.slice(1), keywords } : unknown(`${path}() is not followed`);
    case 'createdTensor':
      return createdTensor(name, positional);
    case 'repeatedTuple':
      return repeatedTuple(repeat, positional);
    case 'tensorFunction':
      return interp.library.tensorFunction(interp, name, positional, keywords, site);
    case 'torchContainer': {
      const m = newModule(path, name === 'Sequential' ? 'sequential' : name === 'ModuleList' ? 'list' : 'dict');
      fillContainer(m, name, positional);
      m.call = site;
      return { t: 'module', m };
    }
    case 'torchModule':
      return leaf(interp, path, bind(SIGNATURES[name] ?? [], positional, keywords), site);
    case 'keras':
      return kerasCall(interp, path, name, positional, keywords, site);
    case 'libraryModel':
      return leaf(interp, path, bind([], positional, keywords), site);
    case 'notFollowed':
      return unknown(`${path}() is not followed`);
  }
}

function kerasCall(interp: Interpreter, path: string, name: string, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
  const [a0] = positional;
  if (name === 'Sequential') {
    const m = newModule('keras.Sequential', 'sequential');
    const items = a0 ?? keywords.get('layers');
    const list = items?.t === 'list' ? items.items : [];
    list.forEach((v, i) => m.attrs.set(String(i), v));
    m.call = site;
    return { t: 'module', m };
  }
  if (name === 'Model' || name === 'Functional') {
    const m = newModule('keras.Model', 'custom');
    m.functional = functionalModel(interp, positional, keywords);
    m.call = site;
    return { t: 'module', m };
  }
  if (name === 'Input' && (path === 'keras.Input' || path === 'keras.layers.Input')) {
    const shapeValue = keywords.get('shape') ?? a0;
    // Each axis on its own: `(sequence_length, raw_data.shape[-1])` still has its 120 steps.
    const dims = shapeValue?.t === 'list' ? shapeValue.items.map((d) => (d.t === 'num' ? d.v : null)) : undefined;
    const given = keywords.get('name');
    return interp.graph.input(given?.t === 'str' ? given.v : 'input', site.range, dims);
  }
  if (path.startsWith('keras.initializers.')) return kerasInitializerValue(name, keywords);
  if (path.startsWith('keras.activations.')) return interp.library.tensorFunction(interp, name, positional, keywords, site);
  if (path.startsWith('keras.layers.') && /^[A-Z]/.test(name)) return leaf(interp, path, bind(KERAS_SIGNATURES[name] ?? [], positional, keywords), site);
  const merge = KERAS_MERGE_FUNCTIONS[name];
  if (path === `keras.layers.${name}` && merge) return kerasMerge(interp, merge, positional, keywords, site);
  return unknown(`${path}() is not followed`);
}

/** `keras.Model(inputs, outputs)` (or a subclass without its own `__init__`): the graph its tensors were made in. */
export function functionalModel(interp: Interpreter, positional: PyValue[], keywords: Map<string, PyValue>): ModuleInstance['functional'] {
  const inputs = keywords.get('inputs') ?? positional[0] ?? NONE;
  const outputs = keywords.get('outputs') ?? positional[1] ?? NONE;
  return { graph: interp.graph, inputs: inputs.t === 'list' ? inputs.items : inputs.t === 'dict' ? [...inputs.entries.values()] : [inputs], outputs };
}

/** Keras's functional merge forms: `layers.add([x, y])` is `layers.Add()([x, y])`. */
const KERAS_MERGE_FUNCTIONS: Readonly<Record<string, string>> = nameTable({
  add: 'Add',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
  dot: 'Dot',
});

function kerasMerge(interp: Interpreter, cls: string, positional: PyValue[], keywords: Map<string, PyValue>, site: Site): PyValue {
  const tensors = keywords.get('inputs') ?? positional[0];
  if (!tensors) return unknown(`keras.layers.${cls.toLowerCase()}() without its inputs`);
  const options = new Map([...keywords].filter(([k]) => k !== 'inputs'));
  // The layer's own arguments (axis, axes) follow the tensors; its fixes must not see the tensors as one.
  const layerSite = { ...site, args: site.args.filter((a) => a.name !== 'inputs').slice(keywords.has('inputs') ? 0 : 1) };
  const layer = leaf(interp, `keras.layers.${cls}`, bind(KERAS_SIGNATURES[cls] ?? [], positional.slice(keywords.has('inputs') ? 0 : 1), options), layerSite);
  return layer.t === 'module' ? interp.library.applyModule(interp, layer.m, [tensors], new Map(), site) : layer;
}

// ------------------------------------------------------------ helpers

/** A Keras layer's name: the one given, else Keras's automatic name. */
function kerasName(interp: Interpreter, m: ModuleInstance, cls: string): string {
  const given = m.params.get('name');
  return given?.t === 'str' ? given.v : kerasAutoName(interp, cls);
}

/** Keras's automatic layer names: the class in snake_case, numbered from the second (`dense`, `dense_1`). */
function kerasAutoName(interp: Interpreter, cls: string): string {
  // As Keras's to_snake_case: Conv2D is conv2d, Conv2DTranspose conv2d_transpose.
  const base = cls.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return interp.graph.firstFreeName(base);
}


/** Where each keyword argument of a Keras layer is written (fixes edit them), by camelCase key. */
function kerasProps(m: ModuleInstance): Layer['props'] {
  const props: Layer['props'] = {};
  const signature = KERAS_SIGNATURES[lastName(m.className)] ?? [];
  m.call?.args.forEach((a, i) => {
    const name = a.name ?? (a.star ? undefined : signature[i]);
    if (!name) return;
    props[name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = { range: a.range, value: a.value.range };
  });
  return props;
}

/** PyTorch layers: where an explicit nn.init call sets the weight (the only initializer the code chooses). */
function initProps(m: ModuleInstance): Layer['props'] {
  const site = m.initSites?.get('weight');
  return site && m.init?.has('weight') ? { kernelInitializer: { range: site, value: site } } : {};
}

/** The input a layer expects when it is first (no batch): the model's input shape. */
function torchInputShape(cls: string, params: ReadonlyMap<string, PyValue>): (number | null)[] | undefined {
  const n = (key: string): number | undefined => (params.get(key)?.t === 'num' ? (params.get(key) as { v: number }).v : undefined);
  if (cls === 'Linear' && n('in_features') !== undefined) return [n('in_features') as number];
  const conv = /^Conv(?:Transpose)?([123])d$/.exec(cls);
  if (conv && n('in_channels') !== undefined) return [...Array(Number(conv[1])).fill(null), n('in_channels') as number];
  if ((cls === 'LSTM' || cls === 'GRU' || cls === 'RNN') && n('input_size') !== undefined) return [null, n('input_size') as number];
  if (cls === 'Embedding') return [null];
  if (cls === 'BatchNorm1d' && n('num_features') !== undefined) return [n('num_features') as number];
  if (cls === 'BatchNorm2d' && n('num_features') !== undefined) return [null, null, n('num_features') as number];
  return undefined;
}

/** Explicit `nn.init` results as the layer's initializer config keys. */
function applyInit(kind: string, config: Record<string, Value>, m: ModuleInstance): Record<string, Value> {
  for (const [param, spec] of m.init ?? []) {
    const key = initKey(kind, param);
    if (key) config[key] = spec;
  }
  return config;
}

function initKey(kind: string, param: string): string | undefined {
  const norm = kind === 'batchNormalization' || kind === 'layerNormalization';
  if (param === 'weight') return kind === 'embedding' ? 'embeddingsInitializer' : norm ? 'gammaInitializer' : 'kernelInitializer';
  if (param === 'bias' || param.startsWith('bias_')) return norm ? 'betaInitializer' : 'biasInitializer';
  if (param.startsWith('weight_ih')) return 'kernelInitializer';
  if (param.startsWith('weight_hh')) return 'recurrentInitializer';
  return undefined;
}

function initCall(name: string, positional: PyValue[], keywords: Map<string, PyValue>): PyValue {
  if (name === 'calculate_gain') {
    const [a0, a1] = positional;
    return num(gain(a0?.t === 'str' ? a0.v : 'linear', num0(a1 ?? keywords.get('param'), 0.01)));
  }
  const target = positional[0];
  if (target?.t !== 'param') return NONE;
  const spec = initializerFor(name, target.m, target.name, positional.slice(1), keywords);
  if (spec) (target.m.init ??= new Map()).set(target.name, spec);
  return target;
}

export function gain(nonlinearity: string, param = 0.01): number {
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
      return Math.sqrt(2 / (1 + param * param));
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}
