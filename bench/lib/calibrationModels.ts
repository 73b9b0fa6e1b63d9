// The calibration set (bench/calibration.ts): tfjs models varying depth, activation,
// initialiser, normalisation, skips and width. Shared with the test that the heatmap's
// verdict and lint's findings agree on every one of them.
import type { ModelGraph, Value } from '../../src/core/graph';
import { dense, GraphBuilder, repeat, sequential, type LayerSpec } from '../../test/unit/estimate/graphs';

const init = (name: string, args: Record<string, Value> = {}): Value => ({ name, ...args });
const bn: LayerSpec = { kind: 'batchNormalization' };

function mlp(name: string, depth: number, width: number, activation: string, extra: Record<string, Value> = {}, between: LayerSpec[] = []): ModelGraph {
  return sequential(name, [64], [...repeat(depth, () => [dense(width, activation, extra), ...between]).flat(), dense(10)]);
}

/** x + f(x) blocks of dense layers (optionally batch-normalised inside the branch). */
function residual(name: string, blocks: number, width: number, activation: string, norm: boolean): ModelGraph {
  const b = new GraphBuilder(name, [width]);
  let x = b.add(dense(width, activation, { kernelInitializer: init('heNormal') }));
  for (let i = 0; i < blocks; i++) {
    b.add(dense(width, activation, { kernelInitializer: init('heNormal') }));
    if (norm) b.add(bn);
    const f = b.add(dense(width, undefined, { kernelInitializer: init('heNormal') }));
    x = b.add({ kind: 'add', from: [x, f] });
  }
  b.add(dense(10));
  return b.build();
}

function denseNet(name: string, blocks: number, growth: number): ModelGraph {
  const b = new GraphBuilder(name, [32]);
  let x = b.add(dense(growth, 'relu'));
  for (let i = 0; i < blocks; i++) {
    const f = b.add(dense(growth, 'relu', { kernelInitializer: init('heNormal') }));
    x = b.add({ kind: 'concatenate', from: [x, f] });
  }
  b.add(dense(10));
  return b.build();
}

function convNet(name: string, depth: number, activation: string, opts: { norm?: boolean; pool?: boolean; init?: string } = {}): ModelGraph {
  const layers: LayerSpec[] = [];
  for (let i = 0; i < depth; i++) {
    const kernelInitializer = init(opts.init ?? 'glorotNormal');
    layers.push({ kind: 'conv2d', config: { filters: 16, kernelSize: 3, padding: 'same', activation: opts.norm ? 'linear' : activation, kernelInitializer } });
    if (opts.norm) layers.push(bn, { kind: 'activation', config: { activation } });
    if (opts.pool && i % 2 === 1) layers.push({ kind: 'maxPooling2d', config: { poolSize: 2 } });
  }
  layers.push({ kind: 'flatten' }, dense(10));
  return sequential(name, [16, 16, 3], layers);
}

function recurrent(name: string, kind: string, steps: number, extra: Record<string, Value> = {}): ModelGraph {
  return sequential(name, [steps, 8], [{ kind, config: { units: 32, ...extra } }, dense(10)]);
}

/** Two conv branches merged by `kind`, then pooled to a dense head. */
function mergedConv(name: string, kind: string, activation: string): ModelGraph {
  const b = new GraphBuilder(name, [16, 16, 4]);
  let x = b.add({ kind: 'conv2d', config: { filters: 8, kernelSize: 3, padding: 'same', activation } });
  for (let i = 0; i < 4; i++) {
    const a = b.add({ kind: 'conv2d', config: { filters: 8, kernelSize: 3, padding: 'same', activation }, from: [x] });
    const c = b.add({ kind: 'conv2d', config: { filters: 8, kernelSize: 1, activation }, from: [x] });
    x = b.add({ kind, from: [a, c] });
  }
  b.add({ kind: 'globalAveragePooling2d' });
  b.add(dense(10));
  return b.build();
}

export function calibrationModels(): ModelGraph[] {
  const acts = ['sigmoid', 'tanh', 'relu', 'elu', 'selu', 'softplus', 'swish', 'gelu', 'hardSigmoid', 'softsign', 'relu6', 'mish'];
  return [
    ...acts.map((a) => mlp(`8x dense(64, ${a})`, 8, 64, a)),
    mlp('8x relu heNormal', 8, 64, 'relu', { kernelInitializer: init('heNormal') }),
    mlp('8x relu glorotUniform', 8, 64, 'relu', { kernelInitializer: init('glorotUniform') }),
    mlp('8x selu leCunNormal', 8, 64, 'selu', { kernelInitializer: init('leCunNormal') }),
    mlp('8x relu randomNormal(0.05)', 8, 64, 'relu', { kernelInitializer: init('randomNormal') }),
    mlp('6x relu randomNormal(1) w128', 6, 128, 'relu', { kernelInitializer: init('randomNormal', { stddev: 1 }) }),
    mlp('8x tanh randomNormal(0.01)', 8, 64, 'tanh', { kernelInitializer: init('randomNormal', { stddev: 0.01 }) }),
    mlp('8x relu randomUniform', 8, 64, 'relu', { kernelInitializer: init('randomUniform') }),
    mlp('8x tanh truncatedNormal(0.2)', 8, 64, 'tanh', { kernelInitializer: init('truncatedNormal', { stddev: 0.2 }) }),
    mlp('8x relu varianceScaling(2, fanOut, uniform)', 8, 64, 'relu', { kernelInitializer: init('varianceScaling', { scale: 2, mode: 'fanOut', distribution: 'uniform' }) }),
    mlp('8x tanh orthogonal', 8, 64, 'tanh', { kernelInitializer: init('orthogonal') }),
    mlp('4x relu', 4, 64, 'relu'),
    mlp('16x relu', 16, 64, 'relu'),
    mlp('24x relu heNormal', 24, 64, 'relu', { kernelInitializer: init('heNormal') }),
    mlp('4x sigmoid', 4, 64, 'sigmoid'),
    mlp('16x sigmoid', 16, 64, 'sigmoid'),
    mlp('24x tanh', 24, 64, 'tanh'),
    mlp('24x relu heNormal width 8', 24, 8, 'relu', { kernelInitializer: init('heNormal') }),
    mlp('24x relu heNormal width 4', 24, 4, 'relu', { kernelInitializer: init('heNormal') }),
    mlp('16x relu heNormal width 16', 16, 16, 'relu', { kernelInitializer: init('heNormal') }),
    mlp('12x tanh width 8', 12, 8, 'tanh'),
    mlp('8x relu width 256', 8, 256, 'relu'),
    mlp('8x sigmoid width 16', 8, 16, 'sigmoid'),
    mlp('16x sigmoid + BN', 16, 64, 'sigmoid', {}, [bn]),
    mlp('12x relu + BN', 12, 64, 'relu', {}, [bn]),
    mlp('8x tanh + BN', 8, 64, 'tanh', {}, [bn]),
    mlp('8x relu + layerNorm', 8, 64, 'relu', {}, [{ kind: 'layerNormalization' }]),
    mlp('8x relu + dropout 0.5', 8, 64, 'relu', {}, [{ kind: 'dropout', config: { rate: 0.5 } }]),
    residual('16 relu residual blocks', 16, 64, 'relu', false),
    residual('8 relu residual blocks + BN', 8, 64, 'relu', true),
    residual('8 tanh residual blocks', 8, 64, 'tanh', false),
    denseNet('6 concatenated relu blocks', 6, 16),
    convNet('6x conv relu', 6, 'relu'),
    convNet('6x conv sigmoid', 6, 'sigmoid'),
    convNet('8x conv relu + BN', 8, 'relu', { norm: true }),
    convNet('6x conv relu heNormal + maxpool', 6, 'relu', { pool: true, init: 'heNormal' }),
    convNet('6x conv tanh + maxpool', 6, 'tanh', { pool: true }),
    recurrent('simpleRNN 30 steps', 'simpleRNN', 30),
    recurrent('simpleRNN 10 steps', 'simpleRNN', 10),
    recurrent('lstm 30 steps', 'lstm', 30),
    recurrent('lstm 30 steps, unitForgetBias', 'lstm', 30, { unitForgetBias: true }),
    recurrent('gru 30 steps', 'gru', 30),
    mergedConv('conv branches: add', 'add', 'relu'),
    mergedConv('conv branches: multiply (tanh)', 'multiply', 'tanh'),
    mergedConv('conv branches: average (elu)', 'average', 'elu'),
    mergedConv('conv branches: concatenate (swish)', 'concatenate', 'swish'),
    sequential('conv stride 2 + conv2dTranspose', [16, 16, 3], [
      { kind: 'conv2d', config: { filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
      { kind: 'conv2d', config: { filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
      { kind: 'conv2dTranspose', config: { filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
      { kind: 'conv2dTranspose', config: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' } },
    ]),
    sequential('separable + depthwise convs', [16, 16, 8], [
      { kind: 'separableConv2d', config: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' } },
      { kind: 'depthwiseConv2d', config: { kernelSize: 3, padding: 'same', activation: 'relu' } },
      { kind: 'separableConv2d', config: { filters: 16, kernelSize: 3, activation: 'relu' } },
      { kind: 'averagePooling2d', config: { poolSize: 2 } },
      { kind: 'flatten' },
      dense(10),
    ]),
    sequential('conv1d sigmoid x4 + globalMaxPooling1d', [32, 8], [
      ...repeat(4, () => ({ kind: 'conv1d', config: { filters: 16, kernelSize: 5, padding: 'same', activation: 'sigmoid' } })),
      { kind: 'globalMaxPooling1d' },
      dense(10),
    ]),
    sequential('upSampling2d + zeroPadding2d + conv', [8, 8, 4], [
      { kind: 'upSampling2d', config: { size: [2, 2] } },
      { kind: 'zeroPadding2d', config: { padding: 2 } },
      { kind: 'conv2d', config: { filters: 8, kernelSize: 3, activation: 'relu' } },
      { kind: 'conv2d', config: { filters: 8, kernelSize: 3, activation: 'relu' } },
      { kind: 'flatten' },
      dense(10),
    ]),
    sequential('dense + leakyReLU/elu/prelu layers', [64], [
      dense(64), { kind: 'leakyReLU' }, dense(64), { kind: 'elu' }, dense(64), { kind: 'prelu' }, dense(64), { kind: 'reLU', config: { maxValue: 6 } }, dense(10),
    ]),
    sequential('bidirectional lstm + timeDistributed dense', [20, 8], [
      { kind: 'bidirectional', config: { mergeMode: 'concat' }, wrapped: { kind: 'lstm', config: { units: 16, returnSequences: true } } },
      { kind: 'timeDistributed', wrapped: { kind: 'dense', config: { units: 8, activation: 'tanh' } } },
      { kind: 'simpleRNN', config: { units: 16 } },
      dense(10),
    ]),
    sequential('stacked gru + softmax head', [30, 4], [
      { kind: 'gru', config: { units: 16, returnSequences: true } },
      { kind: 'gru', config: { units: 16 } },
      dense(5, 'softmax'),
    ]),
    sequential('embedding + globalAveragePooling1d', [20], [
      { kind: 'embedding', config: { inputDim: 50, outputDim: 32 } },
      { kind: 'globalAveragePooling1d' },
      dense(16, 'relu'),
      dense(1, 'sigmoid'),
    ]),
    sequential('12x dense(32, tanh) + gaussianNoise', [64], [...repeat(12, () => [dense(32, 'tanh'), { kind: 'gaussianNoise', config: { stddev: 0.1 } }]).flat(), dense(10)]),
    sequential('8x dense(64, sigmoid) + layerNorm', [64], [...repeat(8, () => [dense(64, 'sigmoid'), { kind: 'layerNormalization' }]).flat(), dense(10)]),
    sequential('embedding + lstm', [20], [{ kind: 'embedding', config: { inputDim: 100, outputDim: 16 } }, { kind: 'lstm', config: { units: 16 } }, dense(10)]),
    // Issue 14: residual saturating nets, orthogonal initialisers, frozen layers, zero-initialised heads.
    residual('16 tanh residual blocks', 16, 64, 'tanh', false),
    residual('8 sigmoid residual blocks', 8, 64, 'sigmoid', false),
    mlp('8x relu orthogonal', 8, 64, 'relu', { kernelInitializer: init('orthogonal') }),
    mlp('8x relu orthogonal(gain √2)', 8, 64, 'relu', { kernelInitializer: init('orthogonal', { gain: Math.SQRT2 }) }),
    sequential('4 frozen sigmoid + 4 relu', [64], [
      ...repeat(4, () => dense(64, 'sigmoid', { trainable: false })),
      ...repeat(4, () => dense(64, 'relu', { kernelInitializer: init('heNormal') })),
      dense(10),
    ]),
    sequential('6x relu heNormal, zero-init head', [64], [
      ...repeat(6, () => dense(64, 'relu', { kernelInitializer: init('heNormal') })),
      dense(10, undefined, { kernelInitializer: init('zeros') }),
    ]),
    sequential('6x tanh, zero-init head', [64], [...repeat(6, () => dense(64, 'tanh')), dense(10, undefined, { kernelInitializer: init('zeros') })]),
  ];
}

