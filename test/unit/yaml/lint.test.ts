import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lint as lintText } from '../../../src/lint/index';
import { LineIndex } from '../../../src/core/text';

// Issue 4's acceptance: upstream files lint clean; plain sigmoid stacks do not.
const FIXTURES = path.join(__dirname, '../../fixtures/yolo');
const OWN = path.join(__dirname, '../../fixtures/yaml');
// Every Ultralytics model file in the fixtures (SOURCE.md): they train well.
const UPSTREAM = ['v3', 'v5', 'v6', 'v8', 'v9', 'v10', '11', '12', '26', 'rt-detr'].flatMap((folder) =>
  fs.readdirSync(path.join(FIXTURES, folder)).map((name) => `${folder}/${name}`),
);

describe('gradlint lint on YOLO YAML', () => {
  for (const rel of UPSTREAM) {
    it(`${rel} has no warning or error`, () => {
      const file = path.join(FIXTURES, rel);
      const { diagnostics } = lintText(file, fs.readFileSync(file, 'utf8'));
      assert.deepEqual(diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`), []);
    });
  }

  it('ten bare nn.Conv2d + nn.Sigmoid rows get vanishing-gradient on the first row with the predicted decades', () => {
    const file = path.join(OWN, 'plain-sigmoid.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const vanishing = lintText(file, text).diagnostics.filter((d) => d.ruleId === 'vanishing-gradient');
    assert.equal(vanishing.length, 1);
    assert.equal(vanishing[0].severity, 'warning');
    assert.match(vanishing[0].message, /gradient RMS is predicted at 10\^-[7-9]\.\d of the last one's/);
    assert.equal(new LineIndex(text).lineOf(vanishing[0].range.start), text.split('\n').findIndex((l) => l.includes('# 0')) + 1);
  });

  it('one diagnostic counts the unknown rows, and findings in that file say their figures assume identity there', () => {
    const file = path.join(OWN, 'plain-sigmoid.yaml');
    const text = fs.readFileSync(file, 'utf8').replace('  - [-1, 1, nn.Sigmoid, []] # 5', '  - [-1, 1, MyGate, []] # 5').replace('  - [-1, 1, nn.Sigmoid, []] # 9', '  - [-1, 1, MyNorm, [32]] # 9');
    const { diagnostics, extract } = lintText(file, text);
    assert.deepEqual(extract.models[0].unknownRows, { rows: [5, 9], modules: ['MyGate', 'MyNorm'] });
    const said = diagnostics.filter((d) => d.ruleId === 'parse-error');
    assert.deepEqual(said.map((d) => `${d.severity}: ${d.message}`), ['info: 2 of 21 rows unknown (MyGate, MyNorm): the estimate treats them as identity.']);
    const vanishing = diagnostics.filter((d) => d.ruleId === 'vanishing-gradient');
    assert.equal(vanishing.length, 1);
    assert.match(vanishing[0].message, / \(figures assume identity at unknown rows 5, 9\)$/);
  });
});
