import { strict as assert } from 'assert';
import * as path from 'path';
import { tempTree } from '../../lib/tempTree';
import { DEFAULT_CONFIG, loadSettings as loadConfig } from '../../../src/lint/index';

const tree = (files: Record<string, string>): string => tempTree('config', files);

describe('loadConfig', () => {
  it('gives the defaults without a settings file', () => {
    const root = tree({ 'm.js': '' });
    const { config, errors } = loadConfig(path.join(root, 'm.js'));
    assert.deepEqual(errors, []);
    assert.equal(config.thresholds.vanishingDepthRatioLog10, -3);
    assert.equal(config.thresholds.plainRnnMaxSteps, 20);
    assert.deepEqual(config.rules, {});
  });

  it('finds .gradlintrc.json by walking up, with comments allowed', () => {
    const root = tree({
      '.gradlintrc.json': '{\n // ours\n "rules": {"lstm-forget-bias": "off"}, "thresholds": {"plainRnnMaxSteps": 50}}',
      'src/models/m.js': '',
    });
    const { config, errors } = loadConfig(path.join(root, 'src/models/m.js'));
    assert.deepEqual(errors, []);
    assert.equal(config.rules['lstm-forget-bias'], 'off');
    assert.equal(config.thresholds.plainRnnMaxSteps, 50);
    assert.equal(config.configFile, path.join(root, '.gradlintrc.json'));
  });

  it('reads the gradlint key of package.json, and the nearest settings win', () => {
    const root = tree({
      '.gradlintrc.json': '{"rules": {"deep-plain-stack": "error"}}',
      'pkg/package.json': '{"name": "x", "gradlint": {"rules": {"deep-plain-stack": "hint"}}}',
      'pkg/m.js': '',
    });
    assert.equal(loadConfig(path.join(root, 'pkg/m.js')).config.rules['deep-plain-stack'], 'hint');
  });

  it('skips a package.json without the gradlint key', () => {
    const root = tree({ '.gradlintrc.json': '{"rules": {"deep-plain-stack": "error"}}', 'pkg/package.json': '{"name": "x"}', 'pkg/m.js': '' });
    assert.equal(loadConfig(path.join(root, 'pkg/m.js')).config.rules['deep-plain-stack'], 'error');
  });

  it('puts the settings file above user settings', () => {
    const root = tree({ '.gradlintrc.json': '{"thresholds": {"residualBlocks": 6}}', 'm.js': '' });
    const { config } = loadConfig(path.join(root, 'm.js'), {
      thresholds: { residualBlocks: 2, narrowReluSum: 2 },
      rules: { 'vanishing-gradient': 'error' },
    });
    assert.equal(config.thresholds.residualBlocks, 6);
    assert.equal(config.thresholds.narrowReluSum, 2);
    assert.equal(config.rules['vanishing-gradient'], 'error');
  });

  it('names the bad key in every error and keeps the valid settings', () => {
    const root = tree({
      '.gradlintrc.json': JSON.stringify({
        rules: { 'no-such-rule': 'warning', 'vanishing-gradient': 'warn', 'lstm-forget-bias': 'off' },
        thresholds: { residualBlocks: 'four', bogus: 1 },
        colour: true,
      }),
      'm.js': '',
    });
    const rc = path.join(root, '.gradlintrc.json');
    const { config, errors } = loadConfig(path.join(root, 'm.js'));
    assert.deepEqual(errors.map((e) => e.replace(/ \(known: .*\)$/, '')), [
      `${rc}: unknown key "colour"`,
      `${rc}: unknown rule "rules.no-such-rule"`,
      `${rc}: "rules.vanishing-gradient" is "warn"; use one of off, hint, info, warning, error`,
      `${rc}: "thresholds.residualBlocks" is "four"; it must be a number`,
      `${rc}: unknown threshold "thresholds.bogus"`,
    ]);
    assert.equal(config.rules['lstm-forget-bias'], 'off');
    assert.equal(config.thresholds.residualBlocks, DEFAULT_CONFIG.thresholds.residualBlocks);
  });

  it('reports a settings file that is not JSON', () => {
    const root = tree({ '.gradlintrc.json': '{"rules": ', 'm.js': '' });
    const { errors } = loadConfig(path.join(root, 'm.js'));
    assert.equal(errors.length, 1);
    assert.match(errors[0], /\.gradlintrc\.json: not valid JSON \(ValueExpected at offset 10\)/);
  });

  it('prefixes problems in user settings with "settings"', () => {
    const root = tree({ 'm.js': '' });
    const { errors } = loadConfig(path.join(root, 'm.js'), { yoloScale: 'q' } as never);
    assert.deepEqual(errors, ['settings: "yoloScale" is "q"; use one of n, s, m, l, x']);
  });

  it('reads analysisBudget, and reports a bad one or a threshold named after an Object.prototype key', () => {
    const good = loadConfig(path.join(tree({ '.gradlintrc.json': '{"analysisBudget": 5000}' }), 'm.js'));
    assert.deepEqual(good.errors, []);
    assert.equal(good.config.analysisBudget, 5000);
    const dir = tree({ '.gradlintrc.json': '{"analysisBudget": 0, "thresholds": {"constructor": 1}}' });
    const bad = loadConfig(path.join(dir, 'm.js'));
    assert.equal(bad.config.analysisBudget, undefined);
    assert.deepEqual(
      bad.errors.map((e) => e.slice(path.join(dir, '.gradlintrc.json').length)),
      [
        `: unknown threshold "thresholds.constructor" (known: ${Object.keys(DEFAULT_CONFIG.thresholds).join(', ')})`,
        ': "analysisBudget" is 0; it must be a number of at least 1',
      ],
    );
  });
});
