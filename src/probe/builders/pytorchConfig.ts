// The tfjs kinds as the YOLO YAML front end configures them (src/core/yaml/KINDS.md):
// PyTorch's explicit padding in pixels, grouped convolutions, and the activations tfjs
// has no identifier for. Plain tfjs configurations go through unchanged.
import * as tf from '@tensorflow/tfjs';
import type { Layer, Value } from '../../core/graph';
import { type BuildContext, type BuiltLayer, fromTfLayer, registerBuilder, type TfLayer } from './registry';
import { ChannelSlice } from './yolo';
import { tfjsLayer } from './tfjsLayers';

/** PyTorch padding (pixels on each side) as [rows, columns]; undefined for tfjs's 'same'/'valid'. */
function explicitPadding(value: Value | undefined): [number, number] | undefined {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number') {
    return [value[0], value[1]];
  }
  return undefined;
}

const pair = (value: Value | undefined, fallback: number): [number, number] => {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && typeof value[0] === 'number') return [value[0], (value[1] ?? value[0]) as number];
  return [fallback, fallback];
};

const withConfig = (layer: Layer, config: Record<string, Value>): Layer => ({
  ...layer,
  config: { ...layer.config, ...config },
});

/**
 * Explicit padding as tfjs does it: 'same' when that pads exactly p on each side (stride 1,
 * p = d·(k − 1)/2), else a zero-padding layer before a 'valid' operation.
 */
function padded(layer: Layer, ctx: BuildContext, make: (layer: Layer) => BuiltLayer): BuiltLayer {
  const pad = explicitPadding(layer.config.padding);
  if (!pad) return make(layer);
  const [kh, kw] = pair(layer.config.kernelSize ?? layer.config.poolSize, 1);
  const [sh, sw] = pair(layer.config.strides, 1);
  const [dh, dw] = pair(layer.config.dilationRate, 1);
  if (sh === 1 && sw === 1 && pad[0] * 2 === dh * (kh - 1) && pad[1] * 2 === dw * (kw - 1)) {
    return make(withConfig(layer, { padding: 'same' }));
  }
  const inner = make(withConfig(layer, { padding: 'valid' }));
  if (pad[0] === 0 && pad[1] === 0) return inner;
  if (layer.kind === 'maxPooling2d') {
    ctx.note(`${layer.name}: max pooling pads with zeros here, PyTorch with −∞`);
  }
  const zeroPad = tf.layers.zeroPadding2d({ padding: [[pad[0], pad[0]], [pad[1], pad[1]]] });
  return { parts: [zeroPad, ...inner.parts], apply: (inputs, node) => inner.apply([zeroPad.apply(inputs[0]) as tf.SymbolicTensor], node) };
}

/** Most groups a grouped convolution is split into (one tfjs convolution per group). */
const MAX_SPLIT_GROUPS = 256;

/**
 * A PyTorch grouped convolution that is not depthwise, which tfjs cannot express in one
 * layer: the input's channels are sliced per group, each slice has its own convolution
 * (PyTorch's fan-in is per group, as is each slice's), and the outputs are concatenated in
 * group order, as PyTorch orders them.
 */
function splitByGroups(layer: Layer, groups: number, make: (layer: Layer) => TfLayer): BuiltLayer {
  const inChannels = layer.config.inChannels;
  const filters = layer.config.filters;
  if (typeof inChannels !== 'number' || typeof filters !== 'number' || inChannels % groups !== 0 || filters % groups !== 0) {
    throw new Error(`a grouped convolution with groups=${groups}, ${String(inChannels)} input and ${String(filters)} output channels cannot be built (both must divide by the groups)`);
  }
  if (groups > MAX_SPLIT_GROUPS) throw new Error(`a grouped convolution with groups=${groups} cannot be built (the probe splits at most ${MAX_SPLIT_GROUPS} groups)`);
  const [perIn, perOut] = [inChannels / groups, filters / groups];
  const one = { ...layer, config: { ...layer.config, filters: perOut, inChannels: perIn, groups: 1 } };
  const convs = Array.from({ length: groups }, () => make(one));
  const slices = convs.map((_, i) => new ChannelSlice(i * perIn, perIn));
  const concat = tf.layers.concatenate({ axis: -1 });
  return {
    parts: convs,
    apply: (inputs) => concat.apply(convs.map((conv, i) => conv.apply(slices[i].apply(inputs[0])) as tf.SymbolicTensor)) as tf.SymbolicTensor,
  };
}

/**
 * PyTorch groups: 1 is tfjs's conv2d; groups = input channels is tfjs's depthwise
 * convolution (output channel g·M + m in both; PyTorch's fan-in is per group, tfjs's
 * varianceScaling counts every input channel: the scale is multiplied by the groups); other
 * groups are split into one convolution per group.
 */
function convolution(layer: Layer, ctx: BuildContext): BuiltLayer {
  const groups = typeof layer.config.groups === 'number' ? layer.config.groups : 1;
  if (groups === 1) return fromTfLayer(tfjsLayer(layer, ctx));
  const filters = layer.config.filters;
  if (groups !== layer.config.inChannels || typeof filters !== 'number' || filters % groups !== 0) {
    return splitByGroups(layer, groups, (one) => tfjsLayer(one, ctx));
  }
  const init = layer.config.kernelInitializer;
  const scaled =
    init && typeof init === 'object' && !Array.isArray(init) && init.name === 'varianceScaling' && (init.mode ?? 'fanIn') === 'fanIn'
      ? { ...init, scale: (typeof init.scale === 'number' ? init.scale : 1) * groups }
      : init;
  const { filters: _f, kernelInitializer: _k, groups: _g, ...rest } = layer.config;
  return fromTfLayer(
    tfjsLayer({ ...layer, kind: 'depthwiseConv2d', config: { ...rest, depthMultiplier: filters / groups, depthwiseInitializer: scaled ?? null } }, ctx),
  );
}

/**
 * PyTorch's transposed-convolution padding crops the output by p on each side; its output
 * padding gives back that many rows and columns at the bottom and right. Groups are split.
 */
function transposedConvolution(layer: Layer, ctx: BuildContext): BuiltLayer {
  const pad = explicitPadding(layer.config.padding) ?? [0, 0];
  const extra = typeof layer.config.outputPadding === 'number' ? layer.config.outputPadding : 0;
  const { outputPadding: _o, ...config } = layer.config;
  const valid: Layer = { ...layer, config: explicitPadding(config.padding) ? { ...config, padding: 'valid' } : config };
  const groups = typeof layer.config.groups === 'number' ? layer.config.groups : 1;
  const conv = groups === 1 ? fromTfLayer(tfjsLayer(valid, ctx)) : splitByGroups(valid, groups, (one) => tfjsLayer(one, ctx));
  const [top, left] = pad;
  const [bottom, right] = [pad[0] - extra, pad[1] - extra];
  if (top === 0 && left === 0 && bottom === 0 && right === 0) return conv;
  const margins = (a: number, b: number): [number, number] => [Math.max(a, 0), Math.max(b, 0)];
  const crop = tf.layers.cropping2D({ cropping: [margins(top, bottom), margins(left, right)] });
  // Output padding beyond the cropping adds rows that no input reaches (PyTorch: bias only; here zeros).
  const grow = bottom < 0 || right < 0 ? tf.layers.zeroPadding2d({ padding: [[0, Math.max(-bottom, 0)], [0, Math.max(-right, 0)]] }) : undefined;
  const after = grow ? [crop, grow] : [crop];
  return {
    parts: [...conv.parts, ...after],
    apply: (inputs, node) => after.reduce((x, l) => l.apply(x) as tf.SymbolicTensor, conv.apply(inputs, node) as tf.SymbolicTensor),
  };
}

/** x · relu6(x + 3) / 6 (PyTorch's Hardswish), which tfjs has no activation for. */
class HardSwish extends tf.layers.Layer {
  static readonly className = 'GradlintHardSwish';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => x.mul(tf.relu6(x.add(3))).div(6));
  }
}

function activation(layer: Layer, ctx: BuildContext): TfLayer {
  const alpha = typeof layer.config.alpha === 'number' ? layer.config.alpha : undefined;
  switch (layer.config.activation) {
    case 'hardSwish':
      return new HardSwish({});
    case 'leakyReLU':
      return tf.layers.leakyReLU({ alpha: alpha ?? 0.01 });
    case 'elu':
      return tf.layers.elu({ alpha: alpha ?? 1 });
    default:
      return tfjsLayer(layer, ctx);
  }
}

registerBuilder('conv2d', (layer, ctx) => padded(layer, ctx, (l) => convolution(l, ctx)));
registerBuilder('conv2dTranspose', transposedConvolution);
registerBuilder('maxPooling2d', (layer, ctx) => padded(layer, ctx, (l) => fromTfLayer(tfjsLayer(l, ctx))));
registerBuilder('averagePooling2d', (layer, ctx) => padded(layer, ctx, (l) => fromTfLayer(tfjsLayer(l, ctx))));
registerBuilder('activation', (layer, ctx) => fromTfLayer(activation(layer, ctx)));
