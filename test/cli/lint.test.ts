import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { gradlint, root } from './gradlint';
import { tempTree } from '../lib/tempTree';

const fixtures = path.join(root, 'test/fixtures/yolo');

interface Message {
  ruleId: string;
  level: string;
  message: string;
  line: number;
  column: number;
}

function lint(...args: string[]): Array<{ filePath: string; messages: Message[] }> {
  const r = gradlint('lint', '--format', 'json', ...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('gradlint lint: the command', () => {
  it('follows a builder imported from a sibling file and reports at the call', () => {
    const dir = tempTree('lint-imports', {
      'blocks.js': [
        "const tf = require('@tensorflow/tfjs');",
        'exports.sigmoidStack = (x, n) => {',
        "  for (let i = 0; i < n; i++) x = tf.layers.dense({ units: 64, activation: 'sigmoid' }).apply(x);",
        '  return x;',
        '};',
      ].join('\n'),
      'model.js': [
        "const tf = require('@tensorflow/tfjs');",
        "const { sigmoidStack } = require('./blocks');",
        'const input = tf.input({ shape: [32] });',
        'const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(sigmoidStack(input, 10)) });',
      ].join('\n'),
    });
    const [report] = lint(path.join(dir, 'model.js'));
    const vanishing = report.messages.find((m) => m.ruleId === 'vanishing-gradient');
    assert.ok(vanishing, JSON.stringify(report.messages));
    assert.deepEqual([vanishing.line, vanishing.column], [4, 86], 'at sigmoidStack(input, 10)');
  });

  it('--analysis-budget: a file that needs more gets one notice naming the setting (exit 0: a warning)', () => {
    const r = gradlint('lint', 'test/fixtures/hostile/kernel-1e9.js', '--analysis-budget', '10');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1:1 +warning +Analysis stopped: the file needs more than 10 units of work \(the analysis budget; raise it with analysisBudget \(\.gradlintrc\.json\), gradlint\.analysisBudget \(VS Code\), --analysis-budget \(CLI\)\) +parse-error/);
    assert.equal(gradlint('lint', 'test/fixtures/hostile/kernel-1e9.js', '--analysis-budget', '0').status, 2);
  });

  it('exits 2 on a bad option', () => {
    const r = gradlint('lint', '--format', 'xml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /argument 'xml' is invalid/);
  });
});

// Issue 4's done-when, through the built command line.
describe('gradlint lint on YOLO YAML: issue 4 done-when', function () {
  this.timeout(120000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlint-yaml-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the upstream fixtures give no warning or error', () => {
    const files = lint(fixtures);
    // Ultralytics' 66 (seven of 8.4.117, yolo11-obb/-pose, yolov8-ghost, nine YOLO26, yolov9c and 46 of 8.4.101), the YOLOv5,
    // YOLOv7 and YOLOv9 repositories' 79 and gradlint's own 2 in their formats (issue 16).
    assert.equal(files.filter((f) => f.filePath.endsWith('.yaml')).length, 147);
    assert.deepEqual(files.flatMap((f) => f.messages.filter((m) => m.level === 'warning' || m.level === 'error').map((m) => `${f.filePath}: ${m.ruleId}: ${m.message}`)), []);
  });

  it('a yolo11n copy with activation: nn.Sigmoid() gets info-level saturating-stack on the activation: line with the predicted decades', () => {
    const text = fs.readFileSync(path.join(fixtures, '11/yolo11.yaml'), 'utf8').replace('nc: 80 # number of classes\n', 'nc: 80 # number of classes\nactivation: nn.Sigmoid()\n');
    const file = path.join(dir, 'yolo11n.yaml');
    fs.writeFileSync(file, text);
    const [{ messages }] = lint(file);
    assert.deepEqual(messages.filter((m) => m.level === 'warning' || m.level === 'error'), []);
    const found = messages.filter((m) => m.ruleId === 'saturating-stack');
    assert.equal(found.length, 1);
    assert.equal(found[0].level, 'info');
    assert.equal(found[0].line, text.split('\n').indexOf('activation: nn.Sigmoid()') + 1);
    assert.equal(found[0].column, 'activation: '.length + 1);
    assert.match(found[0].message, /the first row's gradient at 10\^-\d\.\d, \d\.\d decades below the SiLU original \(10\^-?\d\.\d\), and a depth ratio of 10\^-?\d\.\d/);
  });

  it('ten bare nn.Conv2d + nn.Sigmoid rows get vanishing-gradient with the predicted decades on the offending rows', () => {
    const file = path.join(root, 'test/fixtures/yaml/plain-sigmoid.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const [{ messages }] = lint(file);
    const found = messages.filter((m) => m.ruleId === 'vanishing-gradient');
    assert.equal(found.length, 1);
    assert.equal(found[0].level, 'warning');
    assert.deepEqual([found[0].line, found[0].column], [text.split('\n').findIndex((l) => l.includes('# 0')) + 1, 13]);
    assert.match(found[0].message, /gradient RMS is predicted at 10\^-[7-9]\.\d of the last one's \(threshold 10\^-3\.0\).* falls from 10\^-\d\.\d at row 20 to 10\^-\d+\.\d at row 0, [7-9]\.\d decades\.$/);
  });
});
