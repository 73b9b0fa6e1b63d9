import { strict as assert } from 'assert';
import { lint as lintText } from '../../../src/lint/index';
import { resolveSettings as resolveConfig } from '../../../src/lint/index';

const SIGMOID = [
  "import * as tf from '@tensorflow/tfjs';",
  'export const model = tf.sequential({layers: [',
  "  tf.layers.dense({units: 64, activation: 'sigmoid', inputShape: [64]}),",
  ...Array.from({ length: 7 }, () => "  tf.layers.dense({units: 64, activation: 'sigmoid'}),"),
  '  tf.layers.dense({units: 10}),',
  ']});',
].join('\n');

const ids = (text: string, config = resolveConfig()) => lintText('model.ts', text, config).diagnostics.map((d) => `${d.ruleId}:${d.severity}`);

describe('lintText', () => {
  it('reports each rule once per finding, in source order, with the estimates', () => {
    const result = lintText('model.ts', SIGMOID, resolveConfig());
    assert.deepEqual(result.diagnostics.map((d) => `${d.ruleId}:${d.severity}`), ['missing-normalization:info', 'vanishing-gradient:warning', 'saturating-stack:warning']);
    assert.equal(result.estimates.length, 1);
    assert.ok((result.estimates[0].depthRatioLog10 ?? 0) < -5);
    assert.equal(result.diagnostics[1].model, 'model');
  });

  it('applies configured severities and skips rules that are off', () => {
    const config = resolveConfig({ rules: { 'vanishing-gradient': 'error', 'missing-normalization': 'off' } });
    assert.deepEqual(ids(SIGMOID, config), ['vanishing-gradient:error', 'saturating-stack:warning']);
  });

  it('honours suppression comments', () => {
    const lines = SIGMOID.split('\n');
    lines.splice(2, 0, '  // gradlint-disable-next-line saturating-stack, vanishing-gradient');
    assert.deepEqual(ids(lines.join('\n')), ['missing-normalization:info']);
    assert.deepEqual(ids(`// gradlint-disable missing-normalization\n${SIGMOID}`), ['vanishing-gradient:warning', 'saturating-stack:warning']);
  });

  it('turns syntax errors into parse-error diagnostics and never throws', () => {
    const result = lintText('model.js', "const tf = require('@tensorflow/tfjs');\nconst m = tf.sequential({layers: [\n", resolveConfig());
    assert.deepEqual(result.diagnostics.map((d) => [d.ruleId, d.severity]), [['parse-error', 'error']]);
    assert.doesNotThrow(() => lintText('x.yaml', ':\n  - [', resolveConfig()));
    assert.doesNotThrow(() => lintText('model.json', '{"modelTopology": 3}', resolveConfig()));
  });

  it('computes fixes only when they are read', () => {
    const [, vanishing] = lintText('model.ts', SIGMOID, resolveConfig()).diagnostics;
    const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(vanishing), 'fixes');
    assert.ok(descriptor?.get, 'fixes is a lazy property');
    assert.ok(vanishing.fixes.length >= 2);
    assert.equal(vanishing.fixes, vanishing.fixes, 'computed once');
    // Serialised (JSON output, messages to the editor) the fixes are a plain field.
    const plain = JSON.parse(JSON.stringify(vanishing)) as typeof vanishing;
    assert.deepEqual(Object.keys(plain).sort(), ['fixes', 'message', 'model', 'range', 'related', 'ruleId', 'severity']);
    assert.equal(plain.fixes.length, vanishing.fixes.length);
  });
});
