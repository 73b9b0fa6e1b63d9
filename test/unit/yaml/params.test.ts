import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractYaml } from '../../../src/core/yaml/extract';

// The oracle: parameter counts Ultralytics 8.4.117 builds from the fixture files.
const FIXTURES = path.join(__dirname, '../../fixtures/yolo');

interface Expected {
  file: string;
  scale: string | undefined;
  total: number;
  perRow: number[];
}

function readOracle(): Expected[] {
  const text = fs.readFileSync(path.join(FIXTURES, 'params.tsv'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith('file\t'))
    .map((line) => {
      const [file, scale, total, perRow] = line.split('\t');
      return { file, scale: scale === '-' ? undefined : scale, total: Number(total), perRow: perRow.split(',').map(Number) };
    });
}

describe('YOLO YAML parameter counts (params.tsv)', () => {
  const oracle = readOracle();

  it('covers every file/scale pair of the oracle', () => {
    assert.equal(oracle.length, 31);
  });

  for (const expected of oracle) {
    it(`${expected.file} scale ${expected.scale ?? '(none)'}: ${expected.total} parameters`, () => {
      const file = path.join(FIXTURES, expected.file);
      const result = extractYaml(file, fs.readFileSync(file, 'utf8'), { scale: expected.scale });
      assert.deepEqual(result.problems.filter((p) => p.severity !== 'info'), []);
      const [model] = result.models;
      assert.deepEqual(model.rows!.map((r) => r.params), expected.perRow);
      assert.equal(model.params, expected.total);
    });
  }

  it('takes the scale from the file name before the option (yolo11s.yaml is scale s)', () => {
    const text = fs.readFileSync(path.join(FIXTURES, '11/yolo11.yaml'), 'utf8');
    const model = extractYaml('models/yolo11s.yaml', text, { scale: 'x' }).models[0];
    assert.equal(model.params, 9458752);
  });

  it('uses the first scale when neither the name nor the option gives one', () => {
    const text = fs.readFileSync(path.join(FIXTURES, '11/yolo11.yaml'), 'utf8');
    const model = extractYaml('yolo11.yaml', text).models[0];
    assert.equal(model.params, 2624080);
  });
});
