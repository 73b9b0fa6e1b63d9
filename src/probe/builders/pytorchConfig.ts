// The tfjs kinds as the YOLO YAML front end configures them (src/core/yaml/KINDS.md):
// PyTorch's explicit padding in pixels, grouped convolutions, and the activations tfjs
// has no identifier for. Plain tfjs configurations go through unchanged.
import * as tf from '@tensorflow/tfjs';
import type { Layer, Value } from '../../core/graph';
import { type BuildContext, type BuiltLayer, fromTfLayer, registerBuilder, sequence, type TfLayer } from './registry';
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
function padded(layer: Layer, ctx: BuildContext, make: (layer: Layer) => TfLayer): BuiltLayer {
  const pad = explicitPadding(layer.config.padding);
  if (!pad) return fromTfLayer(make(layer));
  const [kh, kw] = pair(layer.config.kernelSize ?? layer.config.poolSize, 1);
  const [sh, sw] = pair(layer.config.strides, 1);
  const [dh, dw] = pair(layer.config.dilationRate, 1);
  if (sh === 1 && sw === 1 && pad[0] * 2 === dh * (kh - 1) && pad[1] * 2 === dw * (kw - 1)) {
    return fromTfLayer(make(withConfig(layer, { padding: 'same' })));
  }
  const inner = make(withConfig(layer, { padding: 'valid' }));
  if (pad[0] === 0 && pad[1] === 0) return fromTfLayer(inner);
  if (layer.kind === 'maxPooling2d') {
    ctx.note(`${layer.name}: max pooling pads with zeros here, PyTorch with −∞`);
  }
  const zeroPad = tf.layers.zeroPadding2d({ padding: [[pad[0], pad[0]], [pad[1], pad[1]]] });
  return sequence(zeroPad, inner);
}

/**
 * A PyTorch grouped convolution with groups = input channels is tfjs's depthwise
 * convolution (output channel g·M + m in both). PyTorch's fan-in is per group, tfjs's
 * varianceScaling counts every input channel: the scale is multiplied by the groups.
 */
function convolution(layer: Layer, ctx: BuildContext): TfLayer {
  const groups = typeof layer.config.groups === 'number' ? layer.config.groups : 1;
  if (groups === 1) return tfjsLayer(layer, ctx);
  const inChannels = layer.config.inChannels;
  const filters = layer.config.filters;
  if (groups !== inChannels || typeof filters !== 'number' || filters % groups !== 0) {
    throw new Error(`a grouped convolution with groups=${groups} and ${String(inChannels)} input channels cannot be built (only groups = input channels)`);
  }
  const init = layer.config.kernelInitializer;
  const scaled =
    init && typeof init === 'object' && !Array.isArray(init) && init.name === 'varianceScaling' && (init.mode ?? 'fanIn') === 'fanIn'
      ? { ...init, scale: (typeof init.scale === 'number' ? init.scale : 1) * groups }
      : init;
  const { filters: _f, kernelInitializer: _k, groups: _g, ...rest } = layer.config;
  return tfjsLayer(
    { ...layer, kind: 'depthwiseConv2d', config: { ...rest, depthMultiplier: filters / groups, depthwiseInitializer: scaled ?? null } },
    ctx,
  );
}

/** PyTorch's transposed-convolution padding crops the output by p on each side. */
function transposedConvolution(layer: Layer, ctx: BuildContext): BuiltLayer {
  const pad = explicitPadding(layer.config.padding);
  const conv = tfjsLayer(pad ? withConfig(layer, { padding: 'valid' }) : layer, ctx);
  if (!pad || (pad[0] === 0 && pad[1] === 0)) return fromTfLayer(conv);
  return sequence(conv, tf.layers.cropping2D({ cropping: [[pad[0], pad[0]], [pad[1], pad[1]]] }));
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
registerBuilder('maxPooling2d', (layer, ctx) => padded(layer, ctx, (l) => tfjsLayer(l, ctx)));
registerBuilder('averagePooling2d', (layer, ctx) => padded(layer, ctx, (l) => tfjsLayer(l, ctx)));
registerBuilder('activation', (layer, ctx) => fromTfLayer(activation(layer, ctx)));
