// Builders for the YOLO-specific kinds of src/core/yaml/KINDS.md: channel slices, the
// softmax attention of Ultralytics' Attention and AAttn, A2C2f's learned scale, CBFuse's
// resize, and opaque (identity) modules. Tensors are channels-last: [B, H, W, C].
import * as tf from '@tensorflow/tfjs';
import type { Layer } from '../../core/graph';
import { type BuildContext, fromTfLayer, registerBuilder } from './registry';

type Shape = (number | null)[];

const numberConfig = (layer: Layer, key: string, fallback: number): number => {
  const v = layer.config[key];
  return typeof v === 'number' ? v : fallback;
};

const single = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);
const firstShape = (shape: Shape | Shape[]): Shape => (Array.isArray(shape[0]) ? (shape[0] as Shape) : (shape as Shape));

/** Channels [begin, begin + size) of the last axis (torch.chunk / split pieces). */
export class ChannelSlice extends tf.layers.Layer {
  static readonly className = 'GradlintChannelSlice';
  constructor(
    private readonly begin: number,
    private readonly size: number,
  ) {
    super({});
  }
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    return [...firstShape(shape).slice(0, -1), this.size];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = single(inputs);
    const begin = x.shape.map((_, i) => (i === x.rank - 1 ? this.begin : 0));
    const size = x.shape.map((_, i) => (i === x.rank - 1 ? this.size : -1));
    return tf.slice(x, begin, size);
  }
}

interface AttentionGeometry {
  numHeads: number;
  keyDim: number;
  headDim: number;
  /** Groups of positions attending only among themselves (AAttn's area); 1 = all. */
  area: number;
  /** Which output: the attended values or the raw values (for the positional conv). */
  part: 'attended' | 'values';
}

/**
 * Ultralytics Attention / AAttn on channels-last qkv: per head, channels [q, k, v];
 * out = v · softmax(qᵀk · keyDim^-½)ᵀ over the positions of each area.
 */
class SoftmaxAttention extends tf.layers.Layer {
  static readonly className = 'GradlintSoftmaxAttention';
  constructor(private readonly g: AttentionGeometry) {
    super({});
  }
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    return [...firstShape(shape).slice(0, -1), this.g.numHeads * this.g.headDim];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const { numHeads, keyDim, headDim, area, part } = this.g;
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [b, h, w] = x.shape;
      const positions = h * w;
      const groups = area > 1 && positions % area === 0 ? area : 1;
      const perGroup = positions / groups;
      const heads = x.reshape([b * groups, perGroup, numHeads, 2 * keyDim + headDim]);
      const v = heads.slice([0, 0, 0, 2 * keyDim], [-1, -1, -1, headDim]);
      if (part === 'values') return v.reshape([b, h, w, numHeads * headDim]);
      const q = heads.slice([0, 0, 0, 0], [-1, -1, -1, keyDim]).transpose([0, 2, 1, 3]);
      const k = heads.slice([0, 0, 0, keyDim], [-1, -1, -1, keyDim]).transpose([0, 2, 1, 3]);
      const weights = tf.softmax(tf.matMul(q, k, false, true).mul(keyDim ** -0.5));
      const out = tf.matMul(weights, v.transpose([0, 2, 1, 3]));
      return out.transpose([0, 2, 1, 3]).reshape([b, h, w, numHeads * headDim]);
    });
  }
}

/** x · γ with a learned per-channel γ (A2C2f's residual gamma). */
class ChannelScale extends tf.layers.Layer {
  static readonly className = 'GradlintChannelScale';
  private gamma?: tf.LayerVariable;
  constructor(
    private readonly init: ReturnType<BuildContext['initializer']>,
  ) {
    super({});
  }
  override build(shape: Shape | Shape[]): void {
    const channels = firstShape(shape).at(-1) ?? 1;
    this.gamma = this.addWeight('gamma', [channels], 'float32', this.init);
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => single(inputs).mul(this.gamma!.read()));
  }
}

/** [x, like] → x resized (nearest, as F.interpolate) to like's height and width. */
class ResizeLike extends tf.layers.Layer {
  static readonly className = 'GradlintResizeLike';
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    const [x, like] = shape as Shape[];
    return [x[0], like[1], like[2], x[3]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, like] = inputs as tf.Tensor4D[];
    return tf.image.resizeNearestNeighbor(x, [like.shape[1], like.shape[2]]);
  }
}

/**
 * Space-to-depth (Focus, ReOrg, Contract) and depth-to-space (Expand) on channels-last
 * tensors, through a 6-d reshape and transpose. `columnsFirst` numbers the patch offsets
 * dx·block + dy as Focus's concatenation of strided slices does; else dy·block + dx.
 */
class BlockRearrange extends tf.layers.Layer {
  static readonly className = 'GradlintBlockRearrange';
  constructor(
    private readonly block: number,
    private readonly toChannels: boolean,
    private readonly columnsFirst: boolean,
  ) {
    super({});
  }
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    const [b, h, w, c] = firstShape(shape);
    const s = this.block;
    const scale = (d: number | null, f: number): number | null => (d === null ? null : Math.floor(d * f));
    return this.toChannels ? [b, scale(h, 1 / s), scale(w, 1 / s), scale(c, s * s)] : [b, scale(h, s), scale(w, s), scale(c, 1 / (s * s))];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const s = this.block;
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      if (this.toChannels) {
        // [b, h/s, dy, w/s, dx, c] → [b, h/s, w/s, (dy, dx) or (dx, dy), c]
        const patches = x.reshape([b, h / s, s, w / s, s, c]);
        const order = this.columnsFirst ? [0, 1, 3, 4, 2, 5] : [0, 1, 3, 2, 4, 5];
        return patches.transpose(order).reshape([b, h / s, w / s, s * s * c]);
      }
      // [b, h, w, dy, dx, c'] → [b, h, dy, w, dx, c']
      const groups = x.reshape([b, h, w, s, s, c / (s * s)]);
      return groups.transpose([0, 1, 3, 2, 4, 5]).reshape([b, h * s, w * s, c / (s * s)]);
    });
  }
}

/** Modules gradlint does not model inside: the first input passes unchanged. */
class Identity extends tf.layers.Layer {
  static readonly className = 'GradlintIdentity';
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    return firstShape(shape);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return single(inputs);
  }
}

const attention = (part: AttentionGeometry['part'], areaAttention: boolean) => (layer: Layer) => {
  const numHeads = Math.max(1, numberConfig(layer, 'numHeads', 1));
  const headDim = numberConfig(layer, 'headDim', 0);
  const keyDim = numberConfig(layer, 'keyDim', headDim);
  if (headDim <= 0 || keyDim <= 0) throw new Error('attention needs keyDim and headDim');
  const area = areaAttention ? numberConfig(layer, 'area', 1) : 1;
  return fromTfLayer(new SoftmaxAttention({ numHeads, keyDim, headDim, area, part }));
};

registerBuilder('slice', (layer) => fromTfLayer(new ChannelSlice(numberConfig(layer, 'begin', 0), numberConfig(layer, 'size', 1))));
registerBuilder('attention', attention('attended', false));
registerBuilder('attentionValues', attention('values', false));
registerBuilder('areaAttention', attention('attended', true));
registerBuilder('areaAttentionValues', attention('values', true));
registerBuilder('scale', (layer, ctx) => fromTfLayer(new ChannelScale(ctx.initializer({ name: 'constant', value: numberConfig(layer, 'initValue', 1) }))));
registerBuilder('resize', () => fromTfLayer(new ResizeLike({})));
registerBuilder('spaceToDepth', (layer) => fromTfLayer(new BlockRearrange(numberConfig(layer, 'blockSize', 2), true, layer.config.order === 'columnsFirst')));
registerBuilder('depthToSpace', (layer) => fromTfLayer(new BlockRearrange(numberConfig(layer, 'blockSize', 2), false, false)));
registerBuilder('opaque', (layer, ctx) => {
  ctx.note(`${layer.name}: ${layer.note ?? 'not modelled'} The probe passes its input through.`);
  return fromTfLayer(new Identity({}));
});
