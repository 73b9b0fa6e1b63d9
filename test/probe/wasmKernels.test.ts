import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/probe/backend';

// The wasm backprop kernels composed in src/probe/wasmKernels.ts (and its replacement of
// wasm's slow Conv2DBackpropInput), checked against the cpu
// backend's own kernels on the same data.

/** `reference` (default: `run`) gives the expected value on the cpu backend. */
type Case = { name: string; run: () => tf.Tensor; reference?: () => tf.Tensor };

function seeded(shape: number[], seed: number): number[] {
  return Array.from(tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync());
}

/** Runs the reference on cpu and `run` on wasm and returns the largest absolute difference. */
async function maxDiff({ run, reference = run }: Case): Promise<{ diff: number; scale: number }> {
  await chooseBackend({ backend: 'cpu' });
  const expected = tf.tidy(reference);
  const want = expected.dataSync().slice();
  await chooseBackend({ backend: 'wasm' });
  const actual = tf.tidy(run);
  assert.deepStrictEqual(actual.shape, expected.shape);
  const got = actual.dataSync();
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(want[i] - got[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  tf.dispose([expected, actual]);
  return { diff, scale };
}

/** The gradient of a conv2d loss with respect to its filter or its input. */
function convGrad(wrt: 'filter' | 'input', xShape: number[], fShape: number[], stride: number, pad: 'same' | 'valid'): Case {
  return {
    name: `conv2d ${wrt} grad x${xShape} f${fShape} stride ${stride} ${pad}`,
    run: () => {
      const x = tf.tensor4d(seeded(xShape, 1), xShape as [number, number, number, number]);
      const f = tf.tensor4d(seeded(fShape, 2), fShape as [number, number, number, number]);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).square().sum();
      return wrt === 'filter' ? tf.grad((w: tf.Tensor) => loss(x, w))(f) : tf.grad((v: tf.Tensor) => loss(v, f))(x);
    },
  };
}

function depthwiseGrads(
  xShape: number[],
  fShape: number[],
  stride: number,
  pad: 'same' | 'valid',
): Case[] {
  const loss = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.depthwiseConv2d(x, w, stride, pad).square().sum();
  const label = `x${xShape} f${fShape} stride ${stride} ${pad}`;
  const tensors = () => [
    tf.tensor4d(seeded(xShape, 3), xShape as [number, number, number, number]),
    tf.tensor4d(seeded(fShape, 4), fShape as [number, number, number, number]),
  ] as const;
  return [
    { name: `depthwise filter grad ${label}`, run: () => { const [x, w] = tensors(); return tf.grad((v: tf.Tensor) => loss(x, v as tf.Tensor4D))(w); } },
    { name: `depthwise input grad ${label}`, run: () => { const [x, w] = tensors(); return tf.grad((v: tf.Tensor) => loss(v as tf.Tensor4D, w))(x); } },
  ];
}

/** Inserts d − 1 zero taps between a depthwise filter's taps: dilation d becomes dilation 1. */
function spreadFilter(w: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, c, m] = w.shape;
  const rows = tf.stack(tf.unstack(w, 0).flatMap((row, i) => (i < kh - 1 ? [row, ...Array(d - 1).fill(tf.zerosLike(row))] : [row])), 0);
  const cols = tf.unstack(rows, 1);
  const zero = tf.zeros([rows.shape[0], c, m]);
  return tf.stack(cols.flatMap((col, j) => (j < kw - 1 ? [col, ...Array(d - 1).fill(zero)] : [col])), 1) as tf.Tensor4D;
}

/**
 * tfjs's depthwise gradient refuses dilation > 1 and the cpu kernels ignore it, so the
 * dilated kernels (called directly) are checked against the cpu kernels on the equivalent
 * undilated filter with zeros between its taps.
 */
function dilatedDepthwiseKernels(xShape: number[], fShape: number[], pad: 'same' | 'valid', d: number): Case[] {
  const [kh, kw] = fShape;
  const spreadShape = [(kh - 1) * d + 1, (kw - 1) * d + 1, fShape[2], fShape[3]];
  const dilated = { strides: [1, 1], dilations: [d, d], pad };
  const plain = { strides: [1, 1], dilations: [1, 1], pad };
  const label = `x${xShape} f${fShape} ${pad} dilation ${d} (kernel called directly)`;
  const tensors = () => {
    const x = tf.tensor4d(seeded(xShape, 7), xShape as [number, number, number, number]);
    const w = tf.tensor4d(seeded(fShape, 8), fShape as [number, number, number, number]);
    const dyShape = tf.depthwiseConv2d(x, spreadFilter(w, d), 1, pad).shape;
    return { x, w, dy: tf.tensor(seeded(dyShape, 9), dyShape) };
  };
  const run = (kernel: string, inputs: tf.NamedTensorMap, attrs: object) =>
    tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor4D;
  return [
    {
      name: `depthwise filter grad ${label}`,
      run: () => {
        const { x, dy } = tensors();
        return run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...dilated, filterShape: fShape });
      },
      reference: () => {
        const { x, dy } = tensors();
        const spread = run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...plain, filterShape: spreadShape });
        return tf.stridedSlice(spread, [0, 0, 0, 0], spreadShape, [d, d, 1, 1]);
      },
    },
    {
      name: `depthwise input grad ${label}`,
      run: () => {
        const { w, dy } = tensors();
        return run('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...dilated, inputShape: xShape });
      },
      reference: () => {
        const { w, dy } = tensors();
        return run('DepthwiseConv2dNativeBackpropInput', { dy, filter: spreadFilter(w, d) }, { ...plain, inputShape: xShape });
      },
    },
  ];
}

const cases: Case[] = [
  convGrad('filter', [2, 9, 9, 3], [3, 3, 3, 4], 1, 'same'),
  convGrad('filter', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'),
  convGrad('filter', [2, 10, 10, 3], [3, 3, 3, 4], 1, 'valid'),
  convGrad('filter', [2, 10, 11, 3], [3, 2, 3, 4], 2, 'valid'),
  convGrad('filter', [3, 8, 8, 5], [1, 1, 5, 6], 2, 'same'),
  convGrad('input', [2, 9, 9, 3], [3, 3, 3, 4], 1, 'same'),
  convGrad('input', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'),
  convGrad('input', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'),
  convGrad('input', [2, 10, 11, 3], [3, 2, 3, 4], 2, 'valid'),
  convGrad('input', [2, 10, 10, 3], [5, 5, 3, 2], 1, 'valid'),
  convGrad('input', [3, 8, 8, 5], [1, 1, 5, 6], 2, 'same'),
  ...depthwiseGrads([2, 9, 9, 3], [3, 3, 3, 2], 1, 'same'),
  ...depthwiseGrads([2, 9, 9, 3], [3, 3, 3, 1], 2, 'same'),
  ...depthwiseGrads([2, 10, 11, 3], [3, 3, 3, 2], 2, 'valid'),
  // tfjs's depthwise gradient refuses dilation > 1, but the kernels themselves take it.
  ...dilatedDepthwiseKernels([2, 10, 10, 2], [3, 3, 2, 2], 'valid', 2),
  ...dilatedDepthwiseKernels([2, 9, 9, 2], [3, 3, 2, 1], 'same', 2),
  {
    name: 'unsortedSegmentSum with repeated ids',
    run: () => tf.unsortedSegmentSum(tf.tensor2d(seeded([6, 4], 5), [6, 4]), tf.tensor1d([0, 2, 2, 4, 0, 1], 'int32'), 5),
  },
  {
    name: 'embedding gradient (gather) on a [4, 5] index batch',
    run: () => {
      const table = tf.tensor2d(seeded([10, 3], 6), [10, 3]);
      const ids = tf.tensor2d([[1, 2, 3, 1, 9], [0, 0, 9, 4, 4], [5, 6, 7, 8, 2], [3, 3, 3, 3, 3]], [4, 5], 'int32');
      return tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum())(table);
    },
  },
];

describe('wasm backprop kernels match the cpu backend', () => {
  after(() => chooseBackend({ backend: 'cpu' }));
  for (const c of cases) {
    it(c.name, async () => {
      const { diff, scale } = await maxDiff(c);
      assert.ok(scale > 0, 'the gradient is not all zero');
      assert.ok(diff <= 1e-4 * Math.max(1, scale), `max abs diff ${diff} (scale ${scale})`);
    });
  }
});
