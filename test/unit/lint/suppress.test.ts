import { strict as assert } from 'assert';
import type { Diagnostic } from '../../../src/core/diagnostic';
import { applyFixes } from '../../../src/core/fixes/apply';
import { applySuppressions, disableCommentEdit } from '../../../src/core/suppress';

function at(text: string, needle: string, ruleId: string): Diagnostic {
  const start = text.indexOf(needle);
  return { ruleId, severity: 'warning', message: ruleId, range: { start, end: start + needle.length }, related: [], fixes: [] };
}

const CODE = [
  "const tf = require('@tensorflow/tfjs');",
  '// gradlint-disable-next-line saturating-stack, vanishing-gradient',
  "const a = tf.layers.dense({units: 8, activation: 'sigmoid'});",
  "const b = tf.layers.dense({units: 8, activation: 'tanh'});",
].join('\n');

describe('suppression comments', () => {
  it('silences the listed rules on the next line only', () => {
    const ds = [at(CODE, "'sigmoid'", 'saturating-stack'), at(CODE, "'sigmoid'", 'vanishing-gradient'), at(CODE, "'sigmoid'", 'lstm-forget-bias'), at(CODE, "'tanh'", 'saturating-stack')];
    const kept = applySuppressions('m.js', CODE, ds);
    assert.deepEqual(kept.map((d) => `${d.ruleId}@${CODE.slice(d.range.start, d.range.end)}`), ["lstm-forget-bias@'sigmoid'", "saturating-stack@'tanh'"]);
  });

  it('silences a rule in the whole file', () => {
    const text = `// gradlint-disable saturating-stack\n${CODE}`;
    const kept = applySuppressions('m.ts', text, [at(text, "'tanh'", 'saturating-stack'), at(text, "'tanh'", 'deep-plain-stack')]);
    assert.deepEqual(kept.map((d) => d.ruleId), ['deep-plain-stack']);
  });

  it('silences every rule when no rule is listed', () => {
    const text = `/* gradlint-disable */\n${CODE}`;
    assert.deepEqual(applySuppressions('m.js', text, [at(text, "'tanh'", 'saturating-stack')]), []);
  });

  it('uses # in YAML and ignores // there', () => {
    const yaml = 'backbone:\n  # gradlint-disable-next-line deep-plain-stack\n  - [-1, 1, Conv, [64, 3, 2]]\n  // gradlint-disable-next-line deep-plain-stack\n  - [-1, 1, Conv, [64, 3, 2]]\n';
    const first = yaml.indexOf('- [');
    const second = yaml.lastIndexOf('- [');
    const mk = (start: number): Diagnostic => ({ ruleId: 'deep-plain-stack', severity: 'info', message: '', range: { start, end: start + 1 }, related: [], fixes: [] });
    assert.deepEqual(applySuppressions('m.yaml', yaml, [mk(first), mk(second)]).map((d) => d.range.start), [second]);
  });

  it('ignores directives in JSON, which has no comments', () => {
    const json = '{"a": "// gradlint-disable"}';
    const d: Diagnostic = { ruleId: 'x', severity: 'info', message: '', range: { start: 1, end: 2 }, related: [], fixes: [] };
    assert.equal(applySuppressions('model.json', json, [d]).length, 1);
  });
});

describe('disableCommentEdit', () => {
  const apply = (text: string, edit: ReturnType<typeof disableCommentEdit>) => applyFixes(text, [{ title: '', edits: edit ? [edit] : [], preferred: true }]);

  it('adds an indented next-line comment above the line', () => {
    const text = 'function f() {\n    tf.layers.simpleRNN({units: 4});\n}\n';
    const out = apply(text, disableCommentEdit('m.js', text, 'plain-rnn-long-sequence', 'line', 1));
    assert.equal(out, 'function f() {\n    // gradlint-disable-next-line plain-rnn-long-sequence\n    tf.layers.simpleRNN({units: 4});\n}\n');
  });

  it('extends an existing next-line directive instead of stacking another', () => {
    const out = apply(CODE, disableCommentEdit('m.js', CODE, 'lstm-forget-bias', 'line', 2));
    assert.equal(out.split('\n')[1], '// gradlint-disable-next-line saturating-stack, vanishing-gradient, lstm-forget-bias');
  });

  it('writes a file directive at the top, after a shebang, and in YAML with #', () => {
    const text = '#!/usr/bin/env node\nconst x = 1;\n';
    assert.equal(apply(text, disableCommentEdit('m.js', text, 'deep-plain-stack', 'file')), '#!/usr/bin/env node\n// gradlint-disable deep-plain-stack\nconst x = 1;\n');
    assert.equal(apply('nc: 80\n', disableCommentEdit('y.yaml', 'nc: 80\n', 'deep-plain-stack', 'file')), '# gradlint-disable deep-plain-stack\nnc: 80\n');
  });

  it('gives no edit for JSON', () => {
    assert.equal(disableCommentEdit('model.json', '{}', 'x', 'file'), undefined);
  });
});
