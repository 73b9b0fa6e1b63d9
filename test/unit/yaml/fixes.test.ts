import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFixes } from '../../../src/core/fixes/apply';
import type { TextEdit } from '../../../src/core/diagnostic';
import { enableShortcut, replaceModule, setActivationSetting } from '../../../src/core/yaml/fixes';
import { extractYaml } from '../../../src/core/yaml/extract';

const FIXTURES = path.join(__dirname, '../../fixtures/yolo');
const yolo11 = fs.readFileSync(path.join(FIXTURES, '11/yolo11.yaml'), 'utf8');
const yolov8 = fs.readFileSync(path.join(FIXTURES, 'v8/yolov8.yaml'), 'utf8');

function apply(text: string, edits: TextEdit[] | undefined): string {
  assert.ok(edits, 'expected a fix');
  return applyFixes(text, [{ title: 't', edits, preferred: true }]);
}

/** The lines that differ between two texts of the same line count. */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]] as [string, string]]));
}

describe('YAML fixes', () => {
  const withSigmoid = yolo11.replace('nc: 80 # number of classes\n', 'nc: 80 # number of classes\nactivation: nn.Sigmoid() # try it\n');

  it('replaces the activation expression and nothing else', () => {
    const fixed = apply(withSigmoid, setActivationSetting(withSigmoid, 'nn.SiLU()'));
    assert.deepEqual(changedLines(withSigmoid, fixed), [['activation: nn.Sigmoid() # try it', 'activation: nn.SiLU() # try it']]);
    assert.equal(extractYaml('yolo11n.yaml', fixed).models[0].layers.find((l) => l.id === '0.act')!.config.activation, 'swish');
  });

  it('adds an activation setting before backbone: when there is none', () => {
    const fixed = apply(yolo11, setActivationSetting(yolo11, 'nn.ReLU()'));
    const added = fixed.split('\n').filter((l) => !yolo11.split('\n').includes(l));
    assert.deepEqual(added, ['activation: nn.ReLU()']);
    assert.ok(fixed.indexOf('activation: nn.ReLU()\nbackbone:') > 0);
    assert.equal(extractYaml('yolo11n.yaml', fixed).models[0].layers.find((l) => l.id === '0.act')!.config.activation, 'relu');
  });

  it('turns a C2f shortcut on by appending it: [512] → [512, True]', () => {
    const fixed = apply(yolov8, enableShortcut(yolov8, 12));
    assert.deepEqual(changedLines(yolov8, fixed), [['  - [-1, 3, C2f, [512]] # 12', '  - [-1, 3, C2f, [512, True]] # 12']]);
  });

  it('writes the positional defaults before a C3k2 shortcut', () => {
    const fixed = apply(yolo11, enableShortcut(yolo11, 2));
    assert.deepEqual(changedLines(yolo11, fixed), [['  - [-1, 2, C3k2, [256, False, 0.25]]', '  - [-1, 2, C3k2, [256, False, 0.25, False, 1, True]]']]);
    assert.equal(extractYaml('yolo11n.yaml', fixed).models[0].params, 2624080);
  });

  it('replaces a written False shortcut in place', () => {
    const text = yolov8.replace('[-1, 3, C2f, [128, True]]', '[-1, 3, C2f, [128, False]]');
    const fixed = apply(text, enableShortcut(text, 2));
    assert.deepEqual(changedLines(text, fixed), [['  - [-1, 3, C2f, [128, False]]', '  - [-1, 3, C2f, [128, True]]']]);
  });

  it('offers nothing for a shortcut already on or a module without one', () => {
    assert.equal(enableShortcut(yolov8, 2), undefined); // [128, True]
    assert.equal(enableShortcut(yolov8, 0), undefined); // Conv
    assert.equal(enableShortcut(yolov8, 99), undefined);
  });

  it('replaces a module name, keeping the comment', () => {
    const fixed = apply(yolov8, replaceModule(yolov8, 12, 'C3k2'));
    assert.deepEqual(changedLines(yolov8, fixed), [['  - [-1, 3, C2f, [512]] # 12', '  - [-1, 3, C3k2, [512]] # 12']]);
  });
});
