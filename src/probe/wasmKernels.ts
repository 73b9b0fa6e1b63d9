// The backprop kernels tfjs-backend-wasm lacks (Conv2DBackpropFilter, the two depthwise
// backprops, UnsortedSegmentSum), composed from kernels wasm has so that conv, depthwise,
// separable and embedding layers train on wasm at wasm speed. Each one calls the wasm
// kernel functions directly (no tensors, no tape) and frees its intermediates.
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;
type Attrs = Record<string, unknown>;
type KernelArgs = Parameters<tf.KernelFunc>[0];
type Pad4 = [number, number, number, number];

/** Runs wasm kernels on TensorInfos and frees every intermediate but the result. */
class KernelChain {
  private readonly made: Info[] = [];
  constructor(private readonly backend: tf.KernelBackend) {}

  run(name: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`wasm kernel ${name} is missing`);
    const out = kernel.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend }) as Info;
    this.made.push(out);
    return out;
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: Info, perm: number[]): Info {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero-pads (positive) or crops (negative) each axis at its start and end. */
  padOrCrop(x: Info, amounts: [number, number][]): Info {
    const crop = amounts.map(([a, b]) => [Math.max(0, -a), Math.max(0, -b)]);
    let out = x;
    if (crop.some(([a, b]) => a > 0 || b > 0)) {
      out = this.run('Slice', { x: out }, {
        begin: crop.map(([a]) => a),
        size: out.shape.map((n, i) => n - crop[i][0] - crop[i][1]),
      });
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
      out = this.run('PadV2', { x: out }, { paddings, constantValue: 0 });
    }
    return out;
  }

  slice(x: Info, begin: number[], size: number[]): Info {
    return this.run('Slice', { x }, { begin, size });
  }

  /** Inserts (factor − 1) zeros after every element along axes 1 and 2 of an NHWC tensor. */
  spreadSpatial(x: Info, [sh, sw]: [number, number]): Info {
    const [n, h, w, c] = x.shape;
    let out = x;
    if (sh > 1) {
      out = this.padOrCrop(this.reshape(out, [n * h, 1, w, c]), [[0, 0], [0, sh - 1], [0, 0], [0, 0]]);
      out = this.reshape(out, [n, h * sh, w, c]);
    }
    if (sw > 1) {
      out = this.padOrCrop(this.reshape(out, [n * h * sh, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]);
      out = this.reshape(out, [n, h * sh, w * sw, c]);
    }
    return out;
  }

  finish(result: Info): Info {
    for (const info of this.made) if (info !== result) this.backend.disposeData(info.dataId);
    return result;
  }
}

interface ConvGeometry {
  strides: [number, number];
  dilations: [number, number];
  /** top, bottom, left, right. */
  pad: Pad4;
  outShape: number[];
}

function geometry(
  xShape: number[],
  filterShape: number[],
  attrs: Attrs,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number] | number,
    (attrs.dilations as [number, number] | number | undefined) ?? 1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    depthwise,
  );
  const { top, bottom, left, right } = info.padInfo;
  return {
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: [top, bottom, left, right],
    outShape: info.outShape,
  };
}

function assertChannelsLast(attrs: Attrs, kernel: string): void {
  const format = attrs.dataFormat as string | undefined;
  if (format && format !== 'NHWC' && format !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports channels-last data only (got ${format})`);
  }
}

/**
 * dW[kh,kw,ci,co] = Σ_{n,i,j} xPadded[n, i·s + kh, j·s + kw, ci] · dy[n,i,j,co]: a forward
 * convolution of the input (channels as batch, batch as channels) with dy as the filter,
 * dilated by the forward stride, then cropped to the kernel size.
 */
function conv2DBackpropFilter({ inputs, attrs, backend }: KernelArgs): Info {
  const chain = new KernelChain(backend as tf.KernelBackend);
  const { x, dy } = inputs as { x: Info; dy: Info };
  const filterShape = attrs!.filterShape as number[];
  assertChannelsLast(attrs!, 'Conv2DBackpropFilter');
  const g = geometry(x.shape, filterShape, attrs!, false);
  const [kh, kw, cin, cout] = filterShape;
  const [top, bottom, left, right] = g.pad;
  const xPadded = chain.padOrCrop(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const xT = chain.transpose(xPadded, [3, 1, 2, 0]);
  const dyT = chain.transpose(dy, [1, 2, 0, 3]);
  const full = chain.run('Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: g.strides,
  });
  const cropped = chain.slice(full, [0, 0, 0, 0], [cin, kh, kw, cout]);
  return chain.finish(chain.transpose(cropped, [1, 2, 0, 3]));
}

/**
 * Depthwise filter gradient: per channel c and multiplier m,
 * dW[kh,kw,c,m] = Σ_{n,i,j} xPadded[n, i·s + kh·d, j·s + kw·d, c] · dy[n,i,j,c·M+m].
 * Batch and channel are merged into the channel axis of one depthwise convolution whose
 * filter is dy (dilated by the forward stride, strided by the forward dilation); the batch
 * is summed out afterwards.
 */
function depthwiseBackpropFilter({ inputs, attrs, backend }: KernelArgs): Info {
  const chain = new KernelChain(backend as tf.KernelBackend);
  const { x, dy } = inputs as { x: Info; dy: Info };
  const filterShape = attrs!.filterShape as number[];
  const g = geometry(x.shape, filterShape, attrs!, true);
  const [n] = x.shape;
  const [kh, kw, c, m] = filterShape;
  const [, ho, wo] = dy.shape;
  const [top, bottom, left, right] = g.pad;
  const xPadded = chain.padOrCrop(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const [, hp, wp] = xPadded.shape;
  // [1, Hp, Wp, C·N] with channel index c·N + n.
  const xMerged = chain.reshape(chain.transpose(xPadded, [1, 2, 3, 0]), [1, hp, wp, c * n]);
  // [Ho, Wo, C·N, M] with the same channel order.
  const dyByChannel = chain.reshape(dy, [n, ho, wo, c, m]);
  const filter = chain.reshape(chain.transpose(dyByChannel, [1, 2, 3, 0, 4]), [ho, wo, c * n, m]);
  const full = chain.run('DepthwiseConv2dNative', { x: xMerged, filter }, {
    strides: g.dilations, pad: 'valid', dataFormat: 'NHWC', dilations: g.strides,
  });
  const cropped = chain.slice(full, [0, 0, 0, 0], [1, kh, kw, c * n * m]);
  const perBatch = chain.reshape(cropped, [kh, kw, c, n, m]);
  return chain.finish(chain.run('Sum', { x: perBatch }, { axis: [3], keepDims: false }));
}

/**
 * Depthwise input gradient: the transposed convolution, written as a stride-1 depthwise
 * convolution of dy (zeros inserted between rows and columns for the forward stride, padded
 * by (k − 1)·d − pad) with the spatially flipped filter, summed over the channel multiplier.
 */
function depthwiseBackpropInput({ inputs, attrs, backend }: KernelArgs): Info {
  const chain = new KernelChain(backend as tf.KernelBackend);
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const inputShape = attrs!.inputShape as number[];
  const g = geometry(inputShape, filter.shape, attrs!, true);
  const [n, h, w, c] = inputShape;
  const [kh, kw, , m] = filter.shape;
  const [dh, dw] = g.dilations;
  const [top, , left] = g.pad;
  const spread = chain.spreadSpatial(dy, g.strides);
  const before = [(kh - 1) * dh - top, (kw - 1) * dw - left];
  const total = [h + (kh - 1) * dh, w + (kw - 1) * dw];
  const padded = chain.padOrCrop(spread, [
    [0, 0],
    [before[0], total[0] - before[0] - spread.shape[1]],
    [before[1], total[1] - before[1] - spread.shape[2]],
    [0, 0],
  ]);
  const flipped = chain.run('Reverse', { x: filter }, { dims: [0, 1] });
  const perMultiplier = chain.run('DepthwiseConv2dNative', {
    x: padded,
    filter: chain.reshape(flipped, [kh, kw, c * m, 1]),
  }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [dh, dw] });
  const split = chain.reshape(perMultiplier, [n, h, w, c, m]);
  return chain.finish(chain.run('Sum', { x: split }, { axis: [4], keepDims: false }));
}

/**
 * The input gradient of a convolution as a forward convolution (XNNPACK-fast, where wasm's
 * own Conv2DBackpropInput is a plain loop several times slower than the forward pass): dy
 * with zeros between rows and columns for the stride, padded by k − 1 − pad, convolved with
 * the spatially flipped filter whose in/out channels are swapped.
 */
function conv2DBackpropInput(args: KernelArgs, original: tf.KernelFunc): Info {
  const { inputs, attrs, backend } = args;
  const format = attrs!.dataFormat as string | undefined;
  if (format && format !== 'NHWC' && format !== 'channelsLast') return original(args) as Info;
  const chain = new KernelChain(backend as tf.KernelBackend);
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const inputShape = attrs!.inputShape as number[];
  const g = geometry(inputShape, filter.shape, attrs!, false);
  const [, h, w] = inputShape;
  const [kh, kw] = filter.shape;
  const [top, , left] = g.pad;
  const spread = chain.spreadSpatial(dy, g.strides);
  const padded = chain.padOrCrop(spread, [
    [0, 0],
    [kh - 1 - top, h + top - spread.shape[1]],
    [kw - 1 - left, w + left - spread.shape[2]],
    [0, 0],
  ]);
  const flipped = chain.transpose(chain.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
  return chain.finish(chain.run('Conv2D', { x: padded, filter: flipped }, {
    strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1],
  }));
}

/** out[s, ...] = Σ_{i: ids[i] = s} x[i, ...]: a scatter that accumulates duplicates. */
function unsortedSegmentSum({ inputs, attrs, backend }: KernelArgs): Info {
  const chain = new KernelChain(backend as tf.KernelBackend);
  const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
  const numSegments = attrs!.numSegments as number;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(segmentIds.shape.length);
  const indices = chain.reshape(segmentIds, [rows, 1]);
  const updates = chain.reshape(x, [rows, ...rest]);
  return chain.finish(chain.run('ScatterNd', { indices, updates }, { shape: [numSegments, ...rest] }));
}

const kernels: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
};

let replacedBackpropInput = false;

/**
 * Registers the missing kernels for 'wasm' and replaces its slow Conv2DBackpropInput
 * (once per process; tfjs's registry is global).
 */
export function registerWasmGradientKernels(): void {
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  const own = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (own && !replacedBackpropInput) {
    replacedBackpropInput = true;
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      kernelFunc: (args) => conv2DBackpropInput(args, own.kernelFunc),
    });
  }
}
