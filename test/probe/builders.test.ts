import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { layerKinds } from '../../src/core/layerDefaults';
import { buildModel } from '../../src/probe/build';
import { builderFor } from '../../src/probe/builders';
import { chooseBackend } from '../../src/probe/backend';
import { measureModel } from '../../src/probe/measure';
import { sequential, type LayerSpec } from './graphs';

const ones = { name: 'ones' };

function run(inputShape: number[], spec: LayerSpec, input: number[]): { shape: number[]; values: number[]; params: number } {
  const built = buildModel(sequential('m', inputShape, [spec]), { seed: 0, maxParameters: 1e6 });
  const out = built.model.predict(tf.tensor([input], [1, ...inputShape])) as tf.Tensor;
  const result = { shape: out.shape, values: Array.from(out.dataSync()), params: built.model.countParams() };
  built.model.dispose();
  return result;
}

describe('probe builders', () => {
  beforeEach(() => chooseBackend({ backend: 'cpu' }));

  it('has a builder for every layer kind the front ends know', () => {
    const missing = layerKinds().filter((k) => k !== 'input' && !builderFor(k));
    assert.deepStrictEqual(missing, []);
  });

  // Every weighted kind trains on wasm (with the kernels src/probe/wasmKernels.ts adds) and
  // gives the cpu backend's numbers.
  const weighted: [string, number[], LayerSpec][] = [
    ['dense', [6], { kind: 'dense', config: { units: 4 } }],
    ['conv1d', [8, 3], { kind: 'conv1d', config: { filters: 4, kernelSize: 3, strides: 2, padding: 'same' } }],
    ['conv2d', [8, 8, 3], { kind: 'conv2d', config: { filters: 4, kernelSize: 3, strides: 2, padding: 'same' } }],
    ['conv3d', [4, 4, 4, 2], { kind: 'conv3d', config: { filters: 3, kernelSize: 2 } }],
    ['conv2dTranspose', [4, 4, 3], { kind: 'conv2dTranspose', config: { filters: 2, kernelSize: 3, strides: 2, padding: 'same' } }],
    ['separableConv2d', [8, 8, 3], { kind: 'separableConv2d', config: { filters: 4, kernelSize: 3, depthMultiplier: 2 } }],
    ['depthwiseConv2d', [8, 8, 3], { kind: 'depthwiseConv2d', config: { kernelSize: 3, strides: 2 } }],
    ['embedding', [5], { kind: 'embedding', config: { inputDim: 20, outputDim: 4 } }],
    ['simpleRNN', [5, 3], { kind: 'simpleRNN', config: { units: 4 } }],
    ['lstm', [5, 3], { kind: 'lstm', config: { units: 4, returnSequences: true } }],
    ['gru', [5, 3], { kind: 'gru', config: { units: 4 } }],
    ['convLstm2d', [3, 6, 6, 2], { kind: 'convLstm2d', config: { filters: 2, kernelSize: 3 } }],
    ['bidirectional', [5, 3], { kind: 'bidirectional', wrapped: { kind: 'lstm', config: { units: 4 } } }],
    ['timeDistributed', [5, 3], { kind: 'timeDistributed', wrapped: { kind: 'dense', config: { units: 4 } } }],
  ];
  for (const [kind, inputShape, spec] of weighted) {
    it(`trains ${kind} on wasm as on cpu`, async () => {
      const graph = sequential(kind, inputShape, [spec]);
      const options = { steps: 2, seed: 3, learningRate: 0.01 };
      const cpu = await measureModel(graph, { ...options, backend: 'cpu' });
      const wasm = await measureModel(graph, { ...options, backend: 'wasm' });
      assert.strictEqual(wasm.backend, 'wasm');
      const [c, w] = [cpu.layers[0].gradientRms!, wasm.layers[0].gradientRms!];
      assert.ok(c[0] > 0);
      c.forEach((v, i) => assert.ok(Math.abs(w[i] - v) <= 1e-4 * v, `step ${i}: wasm ${w[i]}, cpu ${v}`));
    });
  }

  it('pads like PyTorch for explicit padding (stride 2 pads top-left, not bottom-right)', () => {
    const conv = { kind: 'conv2d', config: { filters: 1, kernelSize: [3, 3], strides: [2, 2], padding: 1, useBias: false, kernelInitializer: ones } };
    const r = run([4, 4, 1], conv, Array(16).fill(1));
    assert.deepStrictEqual(r.shape, [1, 2, 2, 1]);
    assert.deepStrictEqual(r.values, [4, 6, 6, 9]);
  });

  it('builds a grouped convolution with groups = input channels as a depthwise one, with PyTorch fan-in', () => {
    const init = { name: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' };
    const dw = { kind: 'conv2d', config: { filters: 8, kernelSize: [3, 3], padding: 1, groups: 4, inChannels: 4, useBias: false, kernelInitializer: init } };
    const built = buildModel(sequential('m', [6, 6, 4], [dw]), { seed: 0, maxParameters: 1e6 });
    assert.strictEqual(built.model.countParams(), 3 * 3 * 4 * 2);
    assert.deepStrictEqual(built.model.outputs[0].shape, [null, 6, 6, 8]);
    // U(±1/√fan_in) with PyTorch's per-group fan_in = 1·3·3: bound 1/3 (tfjs's own would be 1/6).
    const kernel = built.model.getWeights()[0].dataSync();
    const largest = Math.max(...Array.from(kernel, Math.abs));
    assert.ok(largest > 0.25 && largest <= 1 / 3, String(largest));
    built.model.dispose();
  });

  it('builds a grouped convolution that is not depthwise: each output group sees only its input group', () => {
    const grouped = { kind: 'conv2d', config: { filters: 6, kernelSize: [3, 3], padding: 1, groups: 2, inChannels: 4, useBias: false, kernelInitializer: ones } };
    // Only the first group's channels (0, 1) carry a value: the second group's outputs (3..5) stay zero.
    const input = Array.from({ length: 9 * 4 }, (_, i) => (i % 4 < 2 ? 1 : 0));
    const r = run([3, 3, 4], grouped, input);
    assert.deepStrictEqual(r.shape, [1, 3, 3, 6]);
    assert.strictEqual(r.params, 2 * (3 * 3 * 2 * 3));
    const centre = r.values.slice(4 * 6, 5 * 6);
    assert.deepStrictEqual(centre, [18, 18, 18, 0, 0, 0]);
  });

  it("builds a grouped transposed convolution with PyTorch's padding and output padding", () => {
    const up = { kind: 'conv2dTranspose', config: { filters: 6, kernelSize: [3, 3], strides: [2, 2], padding: 1, outputPadding: 1, groups: 2, inChannels: 4, useBias: false } };
    // PyTorch: (4 − 1)·2 − 2 + 3 + 1 = 8; weights 4·(6 / 2)·3·3 = 108.
    const r = run([4, 4, 4], up, Array(64).fill(1));
    assert.deepStrictEqual(r.shape, [1, 8, 8, 6]);
    assert.strictEqual(r.params, 108);
  });

  it("rearranges space to depth in Focus's and Contract's channel orders, and depth to space as Expand", () => {
    const values = Array.from({ length: 32 }, (_, i) => i);
    // PyTorch's outputs for the same (channels-last) input, computed with torch.
    const focus = run([4, 4, 2], { kind: 'spaceToDepth', config: { blockSize: 2, order: 'columnsFirst' } }, values);
    assert.deepStrictEqual(focus.shape, [1, 2, 2, 8]);
    assert.deepStrictEqual(focus.values, [0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15, 16, 17, 24, 25, 18, 19, 26, 27, 20, 21, 28, 29, 22, 23, 30, 31]);
    const contract = run([4, 4, 2], { kind: 'spaceToDepth', config: { blockSize: 2, order: 'rowsFirst' } }, values);
    assert.deepStrictEqual(contract.values, [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 20, 21, 22, 23, 28, 29, 30, 31]);
    const expand = run([2, 2, 8], { kind: 'depthToSpace', config: { blockSize: 2 } }, values);
    assert.deepStrictEqual(expand.shape, [1, 4, 4, 2]);
    assert.deepStrictEqual(expand.values, [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 20, 21, 22, 23, 28, 29, 30, 31]);
  });

  it('implements the activations tfjs has no identifier for', () => {
    const hardSwish = run([5], { kind: 'activation', config: { activation: 'hardSwish' } }, [-4, -1, 0, 1, 4]);
    assert.deepStrictEqual(hardSwish.values.map((v) => +v.toFixed(4)), [0, -0.3333, 0, 0.6667, 4]);
    const leaky = run([2], { kind: 'activation', config: { activation: 'leakyReLU', alpha: 0.1 } }, [-2, 3]);
    assert.deepStrictEqual(leaky.values.map((v) => +v.toFixed(4)), [-0.2, 3]);
  });

  it('crops a transposed convolution by its PyTorch padding', () => {
    const up = { kind: 'conv2dTranspose', config: { filters: 1, kernelSize: [3, 3], strides: [2, 2], padding: 1, useBias: false, kernelInitializer: ones } };
    // PyTorch: (H − 1)·s − 2p + k = 3·2 − 2 + 3 = 7.
    assert.deepStrictEqual(run([4, 4, 1], up, Array(16).fill(1)).shape, [1, 7, 7, 1]);
  });

  it('uses the seed for the initial weights', () => {
    const dense = { kind: 'dense', config: { units: 3 } };
    const weights = (seed: number) => {
      const built = buildModel(sequential('m', [3], [dense]), { seed, maxParameters: 1e6 });
      const w = Array.from(built.model.getWeights()[0].dataSync());
      built.model.dispose();
      return w;
    };
    assert.deepStrictEqual(weights(5), weights(5));
    assert.notDeepStrictEqual(weights(5), weights(6));
  });
});
