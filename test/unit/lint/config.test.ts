import { strict as assert } from 'assert';
import * as path from 'path';
import { tempTree } from '../../lib/tempTree';
import { DEFAULT_CONFIG, lint, loadSettings as loadConfig } from '../../../src/lint/index';

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

  it('reads yoloDialect from package.json, and a YOLOv5 file linted with it set to ultralytics is read so', () => {
    const yolov5 = 'nc: 80\nanchors:\n  - [10,13, 16,30, 33,23]\ndepth_multiple: 0.33\nwidth_multiple: 0.5\nbackbone:\n  - [-1, 1, Conv, [64, 6, 2, 2]]\nhead:\n  - [[0], 1, Detect, [nc, anchors]]\n';
    const root = tree({ 'package.json': '{"gradlint": {"yoloDialect": "ultralytics"}}', 'net.yaml': yolov5, 'other/net.yaml': yolov5 });
    const { config, errors } = loadConfig(path.join(root, 'net.yaml'));
    assert.deepEqual(errors, []);
    assert.equal(config.yoloDialect, 'ultralytics');
    const forced = lint(path.join(root, 'net.yaml'), yolov5, config).extract.models[0];
    const recognised = lint(path.join(root, 'other/net.yaml'), yolov5, DEFAULT_CONFIG).extract.models[0];
    assert.deepEqual([forced.name, recognised.name], ['net.yaml', 'net.yaml (YOLOv5 repository)']);
    // YOLOv5's Detect: one 1×1 conv, (32 + 1)·255; Ultralytics' Detect is far larger.
    assert.equal(recognised.rows![1].params, 8415);
    assert.ok(forced.rows![1].params! > 8415);
  });

  it('names a bad yoloDialect', () => {
    const root = tree({ '.gradlintrc.json': '{"yoloDialect": "yolov8"}', 'm.yaml': '' });
    const { errors } = loadConfig(path.join(root, 'm.yaml'));
    assert.deepEqual(errors, [`${path.join(root, '.gradlintrc.json')}: "yoloDialect" is "yolov8"; use one of ultralytics, yolov5, yolov7, yolov9`]);
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
