// Builds the inner layers of YOLO rows as tfjs-kind layers (see KINDS.md), counting the
// parameters PyTorch would create. One node per layer; node id = layer id = PyTorch path.

import { charge, LAYER_UNITS } from '../budget';
import type { GraphNode, Layer, PropSource, Range, Value } from '../graph';
import { applyLayerDefaults } from '../layerDefaults';
import type { ActivationSpec } from './activation';

/** A tensor flowing between inner layers: the node producing it, its channels and its stride. */
export interface Tensor {
  node: string;
  channels: number;
  /** Downsampling factor against the input image. */
  stride: number;
}

/** What the module activation means: the Conv default (possibly from `activation:`), none, or a fixed one. */
export type Act = true | false | ActivationSpec;

export interface BuildSettings {
  /** Conv.default_act: SiLU unless the file's `activation:` sets another. */
  defaultAct: ActivationSpec;
  /** Where `activation:` is written, attached to the activation layers it produces. */
  defaultActSource?: PropSource;
  /** Classification models keep PyTorch's batch norm defaults. */
  classification: boolean;
}

interface RowContext {
  row: number;
  line: number;
  range: Range;
}

const SILU: ActivationSpec = { activation: 'swish' };

const pytorchKernelInit = (): Value => ({ name: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
const uniformInit = (bound: number): Value => ({ name: 'randomUniform', minval: -bound, maxval: bound });

export interface ConvOptions {
  k?: number | number[];
  s?: number;
  /** PyTorch padding; undefined = Ultralytics autopad ('same' for odd kernels). */
  p?: number | number[] | null;
  g?: number;
  d?: number;
  bias?: boolean;
  trainable?: boolean;
}

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

/** Ultralytics `autopad`: the padding that keeps the size at stride 1. */
function autopad(k: [number, number], d: number): [number, number] {
  const eff = k.map((x) => (d > 1 ? d * (x - 1) + 1 : x));
  return [Math.floor(eff[0] / 2), Math.floor(eff[1] / 2)];
}

/** tfjs defaults per kind, computed once: YOLO configs are already canonical, so a merge suffices. */
const defaultsByKind = new Map<string, Record<string, Value>>();
function withDefaults(kind: string, config: Record<string, Value>): Record<string, Value> {
  let defaults = defaultsByKind.get(kind);
  if (!defaults) {
    defaults = applyLayerDefaults(kind, {});
    defaultsByKind.set(kind, defaults);
  }
  return { ...defaults, ...config };
}

export class GraphBuilder {
  readonly layers: Layer[] = [];
  readonly nodes: GraphNode[] = [];
  /** Parameters of the row being built. */
  rowParams = 0;
  private context: RowContext = { row: 0, line: 1, range: { start: 0, end: 0 } };

  /** Set once the model passed its layer limit: later rows are not built. */
  truncated = false;

  constructor(readonly settings: BuildSettings) {}

  startRow(context: RowContext): void {
    this.context = context;
    this.rowParams = 0;
  }

  /** Adds one layer and the node applying it (or no node when `inputs` is null). */
  layer(kind: string, name: string, config: Record<string, Value>, inputs: Tensor[] | null, params: number, props: Record<string, PropSource> = {}, note?: string): string {
    charge(LAYER_UNITS);
    const { row, line, range } = this.context;
    const id = name;
    const layer: Layer = { id, name, kind, config: withDefaults(kind, config), unknown: {}, line, range, props, row };
    if (note) layer.note = note;
    this.layers.push(layer);
    if (inputs) this.nodes.push({ id, layer: id, inputs: inputs.map((t) => t.node) });
    this.rowParams += params;
    return id;
  }

  /** A plain nn.Conv2d (weights only where `inputs` is null: a branch off the graph path). */
  conv2d(name: string, x: Tensor, c2: number, o: ConvOptions = {}, inputs: Tensor[] | null = [x]): Tensor {
    const k = pair(o.k ?? 1);
    const s = o.s ?? 1;
    const d = o.d ?? 1;
    const g = o.g ?? 1;
    const bias = o.bias ?? true;
    const p = o.p === undefined || o.p === null ? autopad(k, d) : pair(o.p);
    const c1 = x.channels;
    const fanIn = (c1 / g) * k[0] * k[1];
    const config: Record<string, Value> = {
      filters: c2,
      kernelSize: k,
      strides: [s, s],
      padding: p[0] === p[1] ? p[0] : p,
      groups: g,
      dilationRate: [d, d],
      useBias: bias,
      inChannels: c1,
      kernelInitializer: pytorchKernelInit(),
    };
    if (bias) config.biasInitializer = uniformInit(1 / Math.sqrt(fanIn));
    if (o.trainable === false) config.trainable = false;
    const params = Math.floor(c1 / g) * c2 * k[0] * k[1] + (bias ? c2 : 0);
    const node = this.layer('conv2d', name, config, inputs, params);
    return { node, channels: c2, stride: x.stride * s };
  }

  batchNorm(name: string, x: Tensor, inputs: Tensor[] | null = [x]): Tensor {
    const classification = this.settings.classification;
    const config = { epsilon: classification ? 1e-5 : 1e-3, momentum: classification ? 0.9 : 0.97 };
    return { ...x, node: this.layer('batchNormalization', name, config, inputs, 2 * x.channels) };
  }

  activation(name: string, x: Tensor, act: Act, inputs: Tensor[] | null = [x]): Tensor {
    if (act === false) return x;
    const spec = act === true ? this.settings.defaultAct : act;
    const props: Record<string, PropSource> = {};
    if (act === true && this.settings.defaultActSource) props.activation = this.settings.defaultActSource;
    const config: Record<string, Value> = { activation: spec.activation };
    if (spec.alpha !== undefined) config.alpha = spec.alpha;
    return { ...x, node: this.layer('activation', name, config, inputs, 0, props) };
  }

  /**
   * Ultralytics Conv: Conv2d(bias=False) → BatchNorm2d → act. With `offPath`, the layers
   * exist (and count) but are not applied: one-to-one head copies that train on detached input.
   */
  conv(name: string, x: Tensor, c2: number, o: ConvOptions & { act?: Act } = {}, offPath = false): Tensor {
    const inputs = (t: Tensor): Tensor[] | null => (offPath ? null : [t]);
    const y = this.conv2d(`${name}.conv`, x, c2, { ...o, bias: false }, inputs(x));
    const z = this.batchNorm(`${name}.bn`, y, inputs(y));
    return this.activation(`${name}.act`, z, o.act ?? true, inputs(z));
  }

  /** Ultralytics DWConv: Conv with groups = gcd(c1, c2). */
  dwConv(name: string, x: Tensor, c2: number, o: { k?: number; s?: number; d?: number; act?: Act } = {}, offPath = false): Tensor {
    return this.conv(name, x, c2, { ...o, g: gcd(x.channels, c2) }, offPath);
  }

  merge(kind: 'add' | 'multiply', name: string, xs: Tensor[]): Tensor {
    return { ...xs[0], node: this.layer(kind, name, {}, xs, 0) };
  }

  concat(name: string, xs: Tensor[], axis = -1): Tensor {
    const channels = axis === -1 ? xs.reduce((sum, t) => sum + t.channels, 0) : xs[0].channels;
    return { node: this.layer('concatenate', name, { axis }, xs, 0), channels, stride: Math.min(...xs.map((t) => t.stride)) };
  }

  slice(name: string, x: Tensor, begin: number, size: number): Tensor {
    return { ...x, node: this.layer('slice', name, { axis: -1, begin, size }, [x], 0), channels: size };
  }

  /** torch.chunk / split along channels into pieces of the given sizes. */
  split(name: string, x: Tensor, sizes: number[]): Tensor[] {
    let begin = 0;
    return sizes.map((size, i) => {
      const t = this.slice(`${name}.${i}`, x, begin, size);
      begin += size;
      return t;
    });
  }

  pool(kind: 'maxPooling2d' | 'averagePooling2d', name: string, x: Tensor, k: number, s: number, p: number): Tensor {
    const node = this.layer(kind, name, { poolSize: [k, k], strides: [s, s], padding: p }, [x], 0);
    return { ...x, node, stride: x.stride * s };
  }

  upsample(name: string, x: Tensor, factor: number, interpolation: string): Tensor {
    const node = this.layer('upSampling2d', name, { size: [factor, factor], interpolation }, [x], 0);
    return { ...x, node, stride: x.stride / factor };
  }

  /**
   * Space-to-depth by `block`: each block×block patch becomes block² channel groups
   * (Focus, ReOrg, Contract). `order` says how the patch offsets (dy, dx) are numbered in the
   * channels: 'rowsFirst' = dy·block + dx (YOLOv5 Contract), 'columnsFirst' = dx·block + dy
   * (Focus and ReOrg concatenate x[::2, ::2], x[1::2, ::2], x[::2, 1::2], x[1::2, 1::2]).
   */
  spaceToDepth(name: string, x: Tensor, block: number, order: 'rowsFirst' | 'columnsFirst'): Tensor {
    const node = this.layer('spaceToDepth', name, { blockSize: block, order }, [x], 0);
    return { node, channels: x.channels * block * block, stride: x.stride * block };
  }

  /** Depth-to-space by `block` (YOLOv5 Expand): channel group dy·block + dx goes to patch offset (dy, dx). */
  depthToSpace(name: string, x: Tensor, block: number): Tensor {
    const node = this.layer('depthToSpace', name, { blockSize: block }, [x], 0);
    return { node, channels: Math.floor(x.channels / (block * block)), stride: x.stride / block };
  }

  /** A head level flattened to anchors: (B, H, W, C) → (B, H·W, C). */
  flatten(name: string, x: Tensor): Tensor {
    return { ...x, node: this.layer('reshape', name, { targetShape: [-1, x.channels] }, [x], 0) };
  }

  dense(name: string, x: Tensor, units: number, bias = true): Tensor {
    const config: Record<string, Value> = { units, useBias: bias, kernelInitializer: pytorchKernelInit() };
    if (bias) config.biasInitializer = uniformInit(1 / Math.sqrt(x.channels));
    const params = x.channels * units + (bias ? units : 0);
    return { ...x, node: this.layer('dense', name, config, [x], params), channels: units };
  }

  /**
   * nn.ConvTranspose2d. PyTorch's init fan_in for it is (out_channels / groups)·k·k;
   * output padding adds rows and columns at the bottom and right.
   */
  convTranspose(name: string, x: Tensor, c2: number, k: number, s: number, p: number, bias = true, o: { g?: number; outputPadding?: number } = {}): Tensor {
    const g = o.g ?? 1;
    const bound = 1 / Math.sqrt((c2 / g) * k * k);
    const config: Record<string, Value> = {
      filters: c2,
      kernelSize: [k, k],
      strides: [s, s],
      padding: p,
      useBias: bias,
      inChannels: x.channels,
      kernelInitializer: uniformInit(bound),
    };
    if (g !== 1) config.groups = g;
    if (o.outputPadding) config.outputPadding = o.outputPadding;
    if (bias) config.biasInitializer = uniformInit(bound);
    const node = this.layer('conv2dTranspose', name, config, [x], x.channels * Math.floor(c2 / g) * k * k + (bias ? c2 : 0));
    return { node, channels: c2, stride: x.stride / s };
  }

  /** A module the graph does not model inside: identity for the estimate, parameters counted. */
  opaque(name: string, xs: Tensor[], module: string, params: number | undefined, note: string, channels = xs[0]?.channels ?? 0): Tensor {
    const config: Record<string, Value> = { module };
    if (params !== undefined) config.params = params;
    const node = this.layer('opaque', name, config, xs, params ?? 0, {}, note);
    if (params === undefined) this.layers[this.layers.length - 1].unknown.params = 'parameter count not modelled for this module';
    return { node, channels, stride: xs[0]?.stride ?? 1 };
  }
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

export { SILU };
