// Linting through a LintCache (what the language server does on every edit): only the models
// an edit changed are analysed again, and the result is always that of a lint from scratch.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_CONFIG, lint, LintCache, resolveSettings, type LintResult } from '../../../src/lint/index';
import type { SourceContext } from '../../../src/core/extract';

const HELPER = `function addSigmoidStack(model, depth) {
  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));
}`;

/** A builder whose first layer has `activation` and whose hidden layers come from `hidden`. */
const builder = (name: string, activation: string, hidden: string) => `function ${name}() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: '${activation}', inputShape: [32] }));
  ${hidden}
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}`;

const TEXT = [
  "const tf = require('@tensorflow/tfjs');",
  HELPER,
  builder('buildA', 'sigmoid', 'addSigmoidStack(model, 7);'),
  builder('buildB', 'relu', 'addSigmoidStack(model, 7);'),
  builder('buildC', 'sigmoid', "for (let i = 0; i < 7; i++) model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));"),
  '',
].join('\n\n');

const FILE = '/project/models.js';

/** What a user sees of a lint: every finding with its position, and each model's estimate by position. */
function seen(r: LintResult) {
  return {
    diagnostics: r.diagnostics.map(({ ruleId, severity, message, range, related, model, code }) => ({ ruleId, severity, message, range, related, model, code })),
    estimates: r.estimates.map((e) => ({ model: e.model.range, line: e.model.line, layers: e.layers.map((l) => [l.layer.range, l.layer.line, l.gradientRms, l.activationRms]) })),
  };
}

/** Lints `before` then `after` through one cache: the second result, checked against a lint from scratch, and how many models were reused. */
function relint(before: string, after: string, context: SourceContext = {}, contextAfter = context) {
  const cache = new LintCache();
  const first = cache.lint(FILE, before, DEFAULT_CONFIG, context);
  const second = cache.lint(FILE, after, DEFAULT_CONFIG, contextAfter);
  assert.deepStrictEqual(seen(second), seen(lint(FILE, after, DEFAULT_CONFIG, contextAfter)), 'the same as a lint from scratch');
  return { first, second, counts: cache.models.counts };
}

/** The findings inside the function `name` of `text`, as rule ids and messages. */
function findingsIn(r: LintResult, text: string, name: string): string[] {
  const start = text.indexOf(`function ${name}(`);
  const end = text.indexOf('\n}', start);
  return r.diagnostics.filter((d) => d.range.start >= start && d.range.end <= end).map((d) => `${d.ruleId}: ${d.message}`);
}

describe('LintCache', () => {
  it('re-analyses only the model an edit changed, whose findings change; the others keep theirs', () => {
    const after = TEXT.replace("activation: 'sigmoid', inputShape: [32] }));\n  for", "activation: 'relu', inputShape: [32] }));\n  for");
    const { first, second, counts } = relint(TEXT, after);
    assert.deepEqual(counts, { reused: 2, analysed: 1 });
    assert.notDeepEqual(findingsIn(second, after, 'buildC'), findingsIn(first, TEXT, 'buildC'), 'the edited model has other findings');
    assert.ok(first.diagnostics.length > 0 && first.estimates.length === 3);
  });

  it('keeps every finding of unchanged models at their moved positions when lines above are added', () => {
    const { first, second, counts } = relint(TEXT, `// Models of the benchmark.\n${TEXT}`);
    assert.deepEqual(counts, { reused: 3, analysed: 0 });
    assert.deepEqual(
      second.diagnostics.map((d) => d.range.start),
      first.diagnostics.map((d) => d.range.start + '// Models of the benchmark.\n'.length),
    );
  });

  it('offers the fixes of a reused finding at its new position', () => {
    const after = `// Models of the benchmark.\n${TEXT}`;
    const { second, counts } = relint(TEXT, after);
    assert.equal(counts.reused, 3);
    const fresh = lint(FILE, after, DEFAULT_CONFIG);
    const fixes = (r: LintResult) => r.diagnostics.map((d) => d.fixes);
    assert.ok(fixes(fresh).some((f) => f.length > 0), 'some finding has a fix');
    assert.deepStrictEqual(fixes(second), fixes(fresh));
  });

  it('re-analyses the models using a helper function when the helper changes, and only those', () => {
    const after = TEXT.replace(HELPER, HELPER.replace("'sigmoid'", "'tanh'"));
    const { first, second, counts } = relint(TEXT, after);
    assert.deepEqual(counts, { reused: 1, analysed: 2 });
    assert.notDeepEqual(findingsIn(second, after, 'addSigmoidStack'), findingsIn(first, TEXT, 'addSigmoidStack'));
  });

  it('re-analyses the models built by an imported file when that file changes', () => {
    const main = [
      "const tf = require('@tensorflow/tfjs');",
      "const { addStack } = require('./blocks');",
      builder('buildA', 'relu', 'addStack(model, 7);'),
      builder('buildC', 'sigmoid', "for (let i = 0; i < 7; i++) model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));"),
    ].join('\n\n');
    const blocks = (activation: string) =>
      `const tf = require('@tensorflow/tfjs');\nexports.addStack = (model, depth) => {\n  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: 64, activation: '${activation}' }));\n};\n`;
    const reading = (text: string): SourceContext => ({ readFile: (file) => (file === '/project/blocks.js' ? text : undefined) });
    const { first, second, counts } = relint(main, main, reading(blocks('relu')), reading(blocks('sigmoid')));
    assert.deepEqual(counts, { reused: 1, analysed: 1 });
    assert.notDeepEqual(findingsIn(second, main, 'buildA'), findingsIn(first, main, 'buildA'), 'the imported layers now saturate');
  });

  it('reuses nothing under other settings', () => {
    const cache = new LintCache();
    cache.lint(FILE, TEXT, DEFAULT_CONFIG);
    const config = resolveSettings({ rules: { 'vanishing-gradient': 'error' } });
    const r = cache.lint(FILE, TEXT, config);
    assert.deepEqual(cache.models.counts, { reused: 0, analysed: 3 });
    assert.ok(r.diagnostics.some((d) => d.ruleId === 'vanishing-gradient' && d.severity === 'error'));
  });

  it('lints a text with a syntax error, then the text fixed, as from scratch', () => {
    const broken = TEXT.replace('return model;', 'return model +;');
    relint(TEXT, broken);
    const cache = new LintCache();
    cache.lint(FILE, broken, DEFAULT_CONFIG);
    const fixed = cache.lint(FILE, TEXT, DEFAULT_CONFIG);
    assert.deepStrictEqual(seen(fixed), seen(lint(FILE, TEXT, DEFAULT_CONFIG)));
    assert.deepEqual(cache.models.counts, { reused: 0, analysed: 3 }, 'nothing to reuse from a first lint that read no model');
    const edited = TEXT.replace('return model;', 'return model +;');
    cache.lint(FILE, edited, DEFAULT_CONFIG);
    const repaired = cache.lint(FILE, `// repaired\n${TEXT}`, DEFAULT_CONFIG);
    assert.deepStrictEqual(seen(repaired), seen(lint(FILE, `// repaired\n${TEXT}`, DEFAULT_CONFIG)));
    assert.deepEqual(cache.models.counts, { reused: 3, analysed: 0 }, 'the models of the text before the syntax error');
  });

  it('gives the result of a lint from scratch after each of a run of random edits (seeded)', () => {
    // mulberry32: the same edits on every run.
    let seed = 17;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const pieces = [' ', '\n', 'x', '1', '// note\n', "'", '(', ')', '{', '}', ';', "tf.layers.dense({units: 3})", '\nconst extra = 2;\n'];
    for (const example of ['examples/deep-sigmoid-mlp.js', 'examples/functional-residual.ts']) {
      const file = path.join(__dirname, '../../..', example);
      const original = fs.readFileSync(file, 'utf8');
      const cache = new LintCache();
      let reused = 0;
      // Each text is the original with one edit: from one to the next, two places change.
      for (let step = 0; step < 30; step++) {
        let text = original;
        const at = Math.floor(random() * text.length);
        const kind = random();
        if (kind < 0.5) text = text.slice(0, at) + pick(pieces) + text.slice(at);
        else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
        else {
          const lineStart = text.lastIndexOf('\n', at) + 1;
          const line = text.slice(lineStart, text.indexOf('\n', at) + 1);
          text = text.slice(0, lineStart) + line + text.slice(lineStart);
        }
        const cached = cache.lint(file, text, DEFAULT_CONFIG);
        assert.deepStrictEqual(seen(cached), seen(lint(file, text, DEFAULT_CONFIG)), `${example}, edit ${step}`);
        reused += cache.models.counts.reused;
      }
      assert.ok(reused > 0, `${example}: some models reused`);
    }
  });
});
