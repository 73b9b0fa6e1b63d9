// PyTorch's adaptive pooling to 1 keeps the pooled dimensions as 1s ([N, C, 1, 1]); tfjs's
// global pooling drops them ([N, C]) and has no keepDims. A flatten or a Linear after it needs
// nothing more, but a convolution after it (a squeeze-excitation block: x * sigmoid(conv(pool(x))))
// needs them back: a reshape to 1×1×C is put between the two, only where such a layer takes it.
import type { GraphContext } from './graphContext';
import type { PyValue } from './values';

type Tensor = Extract<PyValue, { t: 'tensor' }>;

/** Kinds that need the spatial dimensions. */
const SPATIAL = /^(conv[123]d|conv[23]dTranspose|depthwiseConv2d|separableConv[12]d|(max|average)Pooling[123]d|upSampling[123]d|zeroPadding[123]d|cropping[123]d)$/;

/** Marks the output of adaptive pooling to 1 over `rank` dimensions, made by `layer` (its id). */
export function markPooled(x: PyValue, rank: number, layer: string): void {
  if (x.t === 'tensor') x.pooled = { rank, layer };
}

/** The input as the layer of `kind` takes it: a pooled tensor gets its 1-sized dimensions back before a spatial layer. */
export function withPooledDims(graph: GraphContext, kind: string, x: Tensor): Tensor {
  const pooling = x.pooled && SPATIAL.test(kind) ? graph.layerById(x.pooled.layer) : undefined;
  if (!x.pooled || !pooling) return x;
  const targetShape = [...Array<number>(x.pooled.rank).fill(1), -1];
  const reshape = graph.layer(`keepdims:${x.node}`, { kind: 'reshape', name: `${pooling.name}.keepdims`, config: { targetShape }, range: pooling.range });
  const out = graph.apply(reshape, [x]);
  return out.t === 'tensor' ? out : x;
}
