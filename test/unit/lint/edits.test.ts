import { strict as assert } from 'assert';
import type { Layer, Range } from '../../../src/core/graph';
import { applyFixes } from '../../../src/core/fixes/apply';
import { insertBatchNormAfter, renameLayerFactory, setLayerConfig } from '../../../src/core/fixes/edits';
import { FixSource } from '../../../src/core/fixes/source';
import type { TextEdit } from '../../../src/core/diagnostic';

/** A layer as the front end reports it: `call` is its construction as written in `text`. */
function layerAt(text: string, call: string, props: Record<string, string> = {}, nth = 0): Layer {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(call, start + 1);
  assert.ok(start >= 0, `no ${call}`);
  const range: Range = { start, end: start + call.length };
  const open = text.indexOf('(', start) + 1;
  const close = range.end - 1;
  const inner = text.slice(open, close);
  const configRange = inner.trim() ? { start: open + inner.indexOf('{'), end: open + inner.lastIndexOf('}') + 1 } : { start: open, end: open };
  const propSources: Layer['props'] = {};
  for (const [key, value] of Object.entries(props)) {
    const at = text.indexOf(`${key}: ${value}`, start);
    const valueStart = at + key.length + 2;
    propSources[key] = { range: { start: at, end: valueStart + value.length }, value: { start: valueStart, end: valueStart + value.length } };
  }
  return { id: 'l', name: 'dense_1', kind: 'dense', config: {}, unknown: {}, line: 1, range, props: propSources, configRange };
}

const edit = (file: string, text: string, edits: TextEdit[] | undefined): string => {
  assert.ok(edits, 'expected an edit');
  return applyFixes(text, [{ title: '', edits, preferred: true }]);
};

describe('fix edits', () => {
  it('replaces a written value and adds missing properties in the same style', () => {
    const text = "const d = tf.layers.dense({units: 8, activation: 'sigmoid'});";
    const layer = layerAt(text, "tf.layers.dense({units: 8, activation: 'sigmoid'})", { activation: "'sigmoid'" });
    const out = edit('m.js', text, setLayerConfig(new FixSource('m.js', text), layer, { activation: "'relu'", kernelInitializer: "'heNormal'" }));
    assert.equal(out, "const d = tf.layers.dense({units: 8, activation: 'relu', kernelInitializer: 'heNormal'});");
  });

  it('adds a property on its own line in a multi-line object, and into empty calls', () => {
    const text = 'const l = tf.layers.lstm({\n  units: 8,\n  returnSequences: true,\n});\nconst f = tf.layers.flatten();\n';
    const lstm = layerAt(text, 'tf.layers.lstm({\n  units: 8,\n  returnSequences: true,\n})');
    const out = edit('m.ts', text, setLayerConfig(new FixSource('m.ts', text), lstm, { unitForgetBias: 'true' }));
    assert.equal(out, 'const l = tf.layers.lstm({\n  units: 8,\n  returnSequences: true,\n  unitForgetBias: true,\n});\nconst f = tf.layers.flatten();\n');
    const flatten = layerAt(text, 'tf.layers.flatten()');
    assert.equal(edit('m.ts', text, setLayerConfig(new FixSource('m.ts', text), flatten, { name: "'f'" })).split('\n')[4], "const f = tf.layers.flatten({name: 'f'});");
  });

  it('inserts batch normalisation after a layer in a layers array', () => {
    const text = "tf.sequential({layers: [\n  tf.layers.dense({units: 8, inputShape: [4]}),\n  tf.layers.dense({units: 1}),\n]});";
    const layer = layerAt(text, 'tf.layers.dense({units: 8, inputShape: [4]})');
    const out = edit('m.js', text, insertBatchNormAfter(new FixSource('m.js', text), layer));
    assert.equal(out, "tf.sequential({layers: [\n  tf.layers.dense({units: 8, inputShape: [4]}),\n  tf.layers.batchNormalization(),\n  tf.layers.dense({units: 1}),\n]});");
  });

  it('inserts a model.add statement after a model.add', () => {
    const text = 'for (const u of sizes) {\n    model.add(tf.layers.dense({units: u}));\n}\n';
    const layer = layerAt(text, 'tf.layers.dense({units: u})');
    const out = edit('m.js', text, insertBatchNormAfter(new FixSource('m.js', text), layer));
    assert.equal(out, 'for (const u of sizes) {\n    model.add(tf.layers.dense({units: u}));\n    model.add(tf.layers.batchNormalization());\n}\n');
  });

  it('wraps the apply call in a functional chain, casts included', () => {
    const text = 'const h = tf.layers.dense({units: 8}).apply(x) as tf.SymbolicTensor;';
    const layer = layerAt(text, 'tf.layers.dense({units: 8})');
    const out = edit('m.ts', text, insertBatchNormAfter(new FixSource('m.ts', text), layer));
    assert.equal(out, 'const h = tf.layers.batchNormalization().apply(tf.layers.dense({units: 8}).apply(x)) as tf.SymbolicTensor;');
  });

  it('wraps the single apply of a layer held in a variable', () => {
    const text = 'const d = layers.dense({units: 8});\nconst h = d.apply(x);\n';
    const layer = layerAt(text, 'layers.dense({units: 8})');
    const out = edit('m.js', text, insertBatchNormAfter(new FixSource('m.js', text), layer));
    assert.equal(out, 'const d = layers.dense({units: 8});\nconst h = layers.batchNormalization().apply(d.apply(x));\n');
  });

  it('gives no edit where the shape is not understood, and none outside JS/TS', () => {
    const shared = 'const d = tf.layers.dense({units: 8});\nconst a = d.apply(x);\nconst b = d.apply(y);\n';
    assert.equal(insertBatchNormAfter(new FixSource('m.js', shared), layerAt(shared, 'tf.layers.dense({units: 8})')), undefined);
    const yaml = '- [-1, 1, Conv, [64, 3, 2]]';
    assert.equal(setLayerConfig(new FixSource('m.yaml', yaml), layerAt(yaml, 'Conv, [64, 3, 2]'), { a: '1' }), undefined);
  });

  it('renames the factory of a construction', () => {
    const text = 'model.add(tf.layers.simpleRNN({units: 8}));';
    const out = edit('m.js', text, renameLayerFactory(new FixSource('m.js', text), layerAt(text, 'tf.layers.simpleRNN({units: 8})'), 'gru'));
    assert.equal(out, 'model.add(tf.layers.gru({units: 8}));');
  });
});
