import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type * as Sarif from 'sarif';
import { tempTree } from '../../lib/tempTree';
import { collectFiles, runLint, type LintOptions } from '../../../src/cli/commands/lint';
import { lintAndFix } from '../../../src/core/lint';
import { DEFAULT_CONFIG, lint } from '../../../src/lint/index';
import { RULES } from '../../../src/rules/index';

const UNKNOWN_ROW = 'nc: 10\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Bogus, [3]]\nhead:\n  - [-1, 1, Classify, [nc]]\n';

function workspace(files: Record<string, string>): string {
  const root = tempTree('cli', files);
  fs.mkdirSync(path.join(root, '.git'));
  return root;
}

function run(root: string, patterns: string[], options: Partial<LintOptions> = {}): { code: number; out: string } {
  let out = '';
  const code = runLint(patterns, { format: 'text', ...options }, root, (s) => (out += s));
  return { code, out };
}

describe('gradlint lint: files', () => {
  it('walks directories for model files, honouring .gitignore and skipping node_modules', () => {
    const root = workspace({
      '.gitignore': 'dist/\n*.gen.js\n',
      'src/model.js': '',
      'src/model.gen.js': '',
      'src/notes.md': '',
      'src/net.yaml': '',
      'src/sub/.gitignore': 'local.ts\n',
      'src/sub/local.ts': '',
      'src/sub/kept.ts': '',
      'dist/bundle.js': '',
      'node_modules/pkg/index.js': '',
    });
    const { files } = collectFiles(['.'], root);
    assert.deepEqual(files.map((f) => path.relative(root, f)), ['src/model.js', 'src/net.yaml', 'src/sub/kept.ts']);
  });

  it('takes globs, and files named explicitly even when ignored', () => {
    const root = workspace({ '.gitignore': 'gen/\n', 'a/x.ts': '', 'a/y.js': '', 'gen/z.js': '' });
    assert.deepEqual(collectFiles(['a/*.ts', 'gen/z.js'], root).files.map((f) => path.relative(root, f)), ['a/x.ts', 'gen/z.js']);
  });

  it('is a usage error when a pattern matches nothing', () => {
    const root = workspace({ 'a.js': '' });
    assert.throws(() => run(root, ['nothing/*.js']), /No files matching the pattern "nothing\/\*\.js" were found\./);
  });

  it('is a usage error when the settings file is bad, naming the key', () => {
    const root = workspace({ '.gradlintrc.json': '{"rules": {"vanishing-gradient": "loud"}}', 'net.yaml': UNKNOWN_ROW });
    assert.throws(() => run(root, ['.']), /"rules\.vanishing-gradient" is "loud"; use one of off, hint, info, warning, error/);
  });
});

describe('gradlint lint: output', () => {
  it('prints stylish text with positions, levels and rule ids', () => {
    const root = workspace({ 'net.yaml': UNKNOWN_ROW });
    const { code, out } = run(root, ['net.yaml']);
    assert.equal(code, 0);
    assert.equal(
      out,
      `\n${path.join(root, 'net.yaml')}\n  4:13  info  1 of 3 rows unknown (Bogus): the estimate treats them as identity. Bogus is not defined in the project: none of its conventional module files (models/common.py, models/experimental.py, ultralytics/nn/modules/block.py, …) is in this folder or the 5 above it  parse-error\n\n✖ 1 problem (0 errors, 0 warnings, 1 info)\n`,
    );
  });

  it('prints ESLint-shaped JSON', () => {
    const root = workspace({ 'net.yaml': UNKNOWN_ROW });
    const [result] = JSON.parse(run(root, ['.'], { format: 'json' }).out);
    assert.equal(result.filePath, path.join(root, 'net.yaml'));
    assert.deepEqual(result.messages, [
      { ruleId: 'parse-error', severity: 1, level: 'info', message: '1 of 3 rows unknown (Bogus): the estimate treats them as identity. Bogus is not defined in the project: none of its conventional module files (models/common.py, models/experimental.py, ultralytics/nn/modules/block.py, …) is in this folder or the 5 above it.', line: 4, column: 13, endLine: 4, endColumn: 18 },
    ]);
    assert.deepEqual([result.errorCount, result.warningCount, result.infoCount, result.hintCount], [0, 0, 1, 0]);
  });

  it('prints SARIF 2.1.0 with rules, help links and %SRCROOT%-relative locations', () => {
    const root = workspace({ 'models/net.yaml': UNKNOWN_ROW });
    const log = JSON.parse(run(root, ['.'], { format: 'sarif' }).out) as Sarif.Log;
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    const rules = sarifRun.tool.driver.rules ?? [];
    assert.ok(rules.some((r) => r.id === 'vanishing-gradient' && r.helpUri === 'https://github.com/gradlint/gradlint/blob/main/src/rules/vanishing-gradient/README.md'));
    assert.equal(sarifRun.originalUriBaseIds?.['%SRCROOT%'].uri, `file://${root}/`);
    const [result] = sarifRun.results ?? [];
    assert.equal(result.level, 'note');
    assert.equal(rules[result.ruleIndex ?? -1].id, 'parse-error');
    assert.deepEqual(result.locations?.[0].physicalLocation, {
      artifactLocation: { uri: 'models/net.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 13, endLine: 4, endColumn: 18 },
    });
  });

  it('says nothing about files that hold no model', () => {
    const root = workspace({ 'package.json': '{"name": "x"}', 'tsconfig.json': '{"compilerOptions": {}}', 'util.js': 'module.exports = 1;\n' });
    assert.deepEqual(run(root, ['.']), { code: 0, out: '' });
  });
});

describe('gradlint lint: --fix and --max-warnings', () => {
  const SATURATING = [
    "const tf = require('@tensorflow/tfjs');",
    'const model = tf.sequential({layers: [',
    "  tf.layers.dense({units: 32, activation: 'sigmoid', inputShape: [16]}),",
    "  tf.layers.dense({units: 32, activation: 'sigmoid'}),",
    "  tf.layers.dense({units: 32, activation: 'sigmoid'}),",
    "  tf.layers.dense({units: 32, activation: 'sigmoid'}),",
    '  tf.layers.dense({units: 1}),',
    ']});',
    'module.exports = {model};',
    '',
  ].join('\n');

  it('fails on more warnings than --max-warnings', () => {
    const root = workspace({ 'm.js': SATURATING });
    assert.equal(run(root, ['.']).code, 0);
    const { code, out } = run(root, ['.'], { maxWarnings: 0 });
    assert.equal(code, 1);
    assert.match(out, /gradlint found too many warnings \(maximum: 0\)\.\n$/);
  });

  it('rewrites the file with the preferred fixes and reports what is left', () => {
    const root = workspace({ 'm.js': SATURATING });
    const { code, out } = run(root, ['.'], { fix: true, maxWarnings: 0 });
    assert.equal(code, 0);
    assert.equal(out, '');
    const fixed = fs.readFileSync(path.join(root, 'm.js'), 'utf8');
    assert.doesNotMatch(fixed, /sigmoid/);
    assert.equal(fixed.split('\n').length, SATURATING.split('\n').length, 'activations changed in place');
  });

  it('fixes with the editor\'s fix-all policy: hints too, the same text as core lintAndFix', () => {
    const example = path.join(__dirname, '../../../examples/rules/lstm-forget-bias.ts');
    const original = fs.readFileSync(example, 'utf8');
    const root = workspace({ 'lstm.ts': original });
    const before = lint(example, original).diagnostics;
    assert.ok(before.some((d) => d.ruleId === 'lstm-forget-bias' && d.severity === 'hint'));
    run(root, ['.'], { fix: true });
    const fixed = fs.readFileSync(path.join(root, 'lstm.ts'), 'utf8');
    assert.match(fixed, /unitForgetBias: true/);
    assert.equal(fixed, lintAndFix(path.join(root, 'lstm.ts'), original, DEFAULT_CONFIG, RULES).text);
  });

  it('exits 1 on an error', () => {
    const root = workspace({ 'm.js': SATURATING.replace("inputShape: [16]})", "inputShape: [16], kernelInitializer: 'zeros'})") });
    const { code, out } = run(root, ['m.js']);
    assert.equal(code, 1);
    assert.match(out, /3:\d+ +error +kernelInitializer zeros starts all 32 units of dense_1 identical/);
  });
});
