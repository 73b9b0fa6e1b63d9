import { strict as assert } from 'assert';
import {
  applyLayerDefaults,
  canonicalKind,
  isWeightedKind,
  kindFromClassName,
  normalizeActivation,
  normalizeInitializer,
} from '../../../src/core/layerDefaults';

describe('layerDefaults', () => {
  it('resolves factory aliases and class names to canonical kinds', () => {
    assert.equal(canonicalKind('maxPool2d'), 'maxPooling2d');
    assert.equal(canonicalKind('avgPooling1d'), 'averagePooling1d');
    assert.equal(canonicalKind('globalMaxPool2d'), 'globalMaxPooling2d');
    assert.equal(canonicalKind('dense'), 'dense');
    assert.equal(canonicalKind('inputLayer'), 'input');
    assert.equal(canonicalKind('subtract'), undefined);
    assert.equal(canonicalKind('toString'), undefined);
    assert.equal(kindFromClassName('Conv2D'), 'conv2d');
    assert.equal(kindFromClassName('LSTM'), 'lstm');
    assert.equal(kindFromClassName('InputLayer'), 'input');
  });

  it("applies tfjs's defaults, not Keras's", () => {
    const dense = applyLayerDefaults('dense', { units: 4 });
    assert.deepEqual(dense.kernelInitializer, { name: 'glorotNormal' });
    assert.equal(dense.activation, 'linear');
    assert.equal(dense.trainable, true);
    const lstm = applyLayerDefaults('lstm', { units: 8 });
    assert.equal(lstm.recurrentActivation, 'hardSigmoid');
    assert.equal(lstm.unitForgetBias, false);
    assert.deepEqual(lstm.recurrentInitializer, { name: 'orthogonal' });
    const sep = applyLayerDefaults('separableConv2d', { filters: 8, kernelSize: 3 });
    assert.deepEqual(sep.depthwiseInitializer, { name: 'glorotUniform' });
    assert.deepEqual(sep.pointwiseInitializer, { name: 'glorotUniform' });
    assert.equal(sep.kernelInitializer, undefined);
    assert.deepEqual(applyLayerDefaults('embedding', {}).embeddingsInitializer, { name: 'randomUniform' });
    assert.equal(applyLayerDefaults('batchNormalization', {}).epsilon, 1e-3);
    assert.equal(applyLayerDefaults('softmax', {}).axis, 1);
  });

  it('fills pooling strides from the pool size', () => {
    assert.deepEqual(applyLayerDefaults('maxPooling2d', { poolSize: 3 }).strides, 3);
    assert.deepEqual(applyLayerDefaults('maxPooling2d', {}).strides, [2, 2]);
    assert.deepEqual(applyLayerDefaults('maxPooling2d', { poolSize: 3, strides: 1 }).strides, 1);
  });

  it('never fills a default over an unknown key', () => {
    const dense = applyLayerDefaults('dense', { units: 4 }, { unknownKeys: ['activation'] });
    assert.equal('activation' in dense, false);
    assert.equal(dense.useBias, true);
  });

  it('normalises activations as tfjs accepts them', () => {
    assert.equal(normalizeActivation(null), 'linear');
    assert.equal(normalizeActivation(undefined), 'linear');
    assert.equal(normalizeActivation('hardSigmoid'), 'hardSigmoid');
    assert.equal(normalizeActivation('hard_sigmoid'), undefined);
    assert.equal(normalizeActivation('hard_sigmoid', { fromJson: true }), 'hardSigmoid');
    assert.equal(normalizeActivation('gelu_new'), 'gelu_new');
    assert.equal(normalizeActivation('leakyRelu'), undefined);
    assert.equal(normalizeActivation({ className: 'relu', config: {} }), 'relu');
    // a rejected activation is kept as written for rules to report
    assert.equal(applyLayerDefaults('dense', { activation: 'hard_sigmoid' }).activation, 'hard_sigmoid');
    assert.equal(applyLayerDefaults('dense', { activation: 'hard_sigmoid' }, { fromJson: true }).activation, 'hardSigmoid');
  });

  it('normalises initializers from strings, class names, specs and dicts', () => {
    assert.deepEqual(normalizeInitializer('heNormal'), { name: 'heNormal' });
    assert.deepEqual(normalizeInitializer('Zeros'), { name: 'zeros' });
    assert.deepEqual(normalizeInitializer('LeCunNormal'), { name: 'leCunNormal' });
    assert.deepEqual(normalizeInitializer('glorot_uniform'), undefined);
    assert.deepEqual(normalizeInitializer('glorot_uniform', { fromJson: true }), { name: 'glorotUniform' });
    assert.deepEqual(normalizeInitializer({ name: 'randomNormal', stddev: 1 }), { name: 'randomNormal', stddev: 1 });
    assert.deepEqual(
      normalizeInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', seed: null } }),
      { name: 'varianceScaling', scale: 2, mode: 'fanIn' },
    );
    assert.equal(normalizeInitializer('bogus'), undefined);
    assert.equal(normalizeInitializer(3), undefined);
  });

  it('knows which kinds own weights', () => {
    assert.equal(isWeightedKind('dense'), true);
    assert.equal(isWeightedKind('batchNormalization'), true);
    assert.equal(isWeightedKind('dropout'), false);
    assert.equal(isWeightedKind('bidirectional'), false);
    assert.equal(isWeightedKind('nonsense'), false);
  });
});
