import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { ruleTester } from '../../../test/rules/ruleTester';
import { at } from '../../../test/rules/models';

// saturating-stack on YOLO YAML rows of bare torch activations; the fixes replace the module.
const FIXTURES = path.join(__dirname, '../../../test/fixtures/yolo');
const upstream = fg.sync('**/*.yaml', { cwd: FIXTURES }).sort();
const plainSigmoid = fs.readFileSync(path.join(__dirname, '../../../test/fixtures/yaml/plain-sigmoid.yaml'), 'utf8');
const tanh = plainSigmoid.replace(/nn\.Sigmoid/g, 'nn.Tanh');
const silu = plainSigmoid.replace(/nn\.Sigmoid/g, 'nn.SiLU');

ruleTester('saturating-stack', {
  valid: [
    ...upstream.map((rel) => ({ name: `upstream ${rel}`, code: fs.readFileSync(path.join(FIXTURES, rel), 'utf8'), file: path.basename(rel) })),
    { name: 'the bare rows with nn.SiLU', code: silu, file: 'plain-silu.yaml' },
  ],
  invalid: [
    {
      name: 'ten bare nn.Conv2d + nn.Sigmoid rows',
      code: plainSigmoid,
      file: 'plain-sigmoid.yaml',
      errors: [
        {
          ...at(plainSigmoid, '[-1, 1, nn.Sigmoid, []]'),
          message: /^10 consecutive sigmoid activations without normalisation \(1, 3 … 19; threshold 4\): the estimate predicts the gradient shrinks to 10\^-[6-9]\.\d across them \(a warning below 10\^-3\.5 .*\)\.$/,
          severity: 'warning',
          preferredFix: 'Use nn.SiLU in rows 1, 3 … 19 (what Ultralytics Conv uses)',
        },
      ],
    },
    {
      name: 'the same rows with nn.Tanh',
      code: tanh,
      file: 'plain-tanh.yaml',
      errors: [{ ...at(tanh, '[-1, 1, nn.Tanh, []]'), message: /^10 consecutive tanh activations without normalisation/, preferredFix: /^Use nn\.SiLU/ }],
    },
  ],
});
