// Graph-level checks of the rules' reading of models, on graphs built as the front ends
// build them (config keys left out where tfjs's default applies).
import { strict as assert } from 'assert';
import type { ModelGraph } from '../../../src/core/graph';
import { estimateModel } from '../../../src/core/estimate/estimate';
import { DEFAULT_CONFIG } from '../../../src/lint/index';
import { FixSource } from '../../../src/core/fixes/source';
import { GraphView } from '../../../src/rules/util/graphView';
import { ruleContext } from '../../../src/core/lint';
import type { RuleContext } from '../../../src/core/rule';
import { inputSteps, inputWidth } from '../../../src/rules/util/shapes';
import { RULES } from '../../../src/rules/index';
import { initializerMismatch } from '../../../src/rules/initializer-mismatch/rule';
import { dense, GraphBuilder, repeat, sequential } from '../estimate/graphs';

function context(model: ModelGraph): RuleContext<string> {
  return ruleContext(model, estimateModel(model), DEFAULT_CONFIG.thresholds, new FixSource('model.json', ''));
}

function findings(model: ModelGraph): string[] {
  const ctx = context(model);
  return RULES.flatMap((r) => r.check(ctx).map((f) => `${r.id} ${f.severity ?? r.defaultSeverity}`));
}

const view = (m: ModelGraph) => new GraphView(m, estimateModel(m));

describe('rules on model graphs', () => {
  it('reads time steps through embeddings, 1-D convolutions and pooling', () => {
    const m = sequential('seq', [120], [
      { kind: 'embedding', config: { inputDim: 100, outputDim: 8 } },
      { kind: 'conv1d', config: { filters: 8, kernelSize: 5, strides: 2 } },
      { kind: 'maxPooling1d', config: { poolSize: 2 } },
      { kind: 'simpleRNN', config: { units: 4 } },
    ]);
    const v = view(m);
    // (120 − 5) / 2 + 1 = 58 steps after the convolution, 29 after pooling.
    assert.equal(inputSteps(v, m.nodes[4]), 29);
    // The embedding's small outputs keep the recurrence in tanh's linear range: χ ≈ 1 per step,
    // and tfjs measures the gradient at the first step at 10^-0.2 to 10^0.0 of the last one's.
    assert.deepEqual(findings(m).filter((f) => f.startsWith('plain-rnn')), ['plain-rnn-long-sequence info']);
  });

  it('reads widths through concatenation and bidirectional wrappers', () => {
    const b = new GraphBuilder('w', [10, 6]);
    const rnn = b.add({ kind: 'bidirectional', config: { mergeMode: 'concat' }, wrapped: { kind: 'lstm', config: { units: 5, returnSequences: true } } });
    const side = b.add({ kind: 'dense', config: { units: 3 }, from: ['n0'] });
    b.add({ kind: 'concatenate', from: [rnn, side] });
    b.add(dense(4));
    const m = b.build();
    assert.equal(inputWidth(view(m), m.nodes[4]), 13);
  });

  it('takes tfjs defaults for keys a front end leaves out', () => {
    // No activation and no initializer written: linear dense layers with glorotNormal, relu layers
    // flagged. These layers have no source, so they share one place and one finding.
    const m = sequential('d', [64], [dense(64, 'relu'), dense(64, 'relu'), dense(10)]);
    assert.deepEqual(findings(m), ['initializer-mismatch info']);
    const [finding] = initializerMismatch.check(context(m));
    assert.match(finding.message, /^dense_1, dense_2 use kernelInitializer glorotNormal \(tfjs's default\) with relu/);
  });

  it('counts a skip whose both branches hold layers, and resets at normalisation', () => {
    const b = new GraphBuilder('r', [32]);
    let x = b.add(dense(32));
    for (let i = 0; i < 4; i++) {
      const left = b.add({ ...dense(32, 'relu', { kernelInitializer: { name: 'heNormal' } }), from: [x] });
      const right = b.add({ ...dense(32, 'relu', { kernelInitializer: { name: 'heNormal' } }), from: [x] });
      x = b.add({ kind: 'add', from: [left, right] });
    }
    assert.ok(findings(b.build()).includes('residual-without-normalization info'));
    const n = new GraphBuilder('rn', [32]);
    let y = n.add(dense(32));
    for (let i = 0; i < 4; i++) {
      const f = n.add({ ...dense(32, 'relu', { kernelInitializer: { name: 'heNormal' } }), from: [y] });
      y = n.add({ kind: 'add', from: [y, f] });
      y = n.add({ kind: 'layerNormalization' });
    }
    assert.ok(!findings(n.build()).some((f) => f.startsWith('residual')));
  });

  it('gives a healthy batch-normalised sigmoid stack no warning', () => {
    const m = sequential('bn', [64], [...repeat(16, () => [dense(64, 'sigmoid'), { kind: 'batchNormalization' }]).flat(), dense(10)]);
    assert.deepEqual(findings(m).filter((f) => !f.endsWith(' info')), []);
  });
});
