import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { ruleTester } from '../../../test/rules/ruleTester';
import { at } from '../../../test/rules/models';

// vanishing-gradient on YOLO YAML: rows of bare torch modules (no batch norm) that the
// estimate shows losing the gradient; the fix rewrites their nn.Conv2d as Conv.
const FIXTURES = path.join(__dirname, '../../../test/fixtures/yolo');
const OWN = path.join(__dirname, '../../../test/fixtures/yaml');
const upstream = fg.sync('**/*.yaml', { cwd: FIXTURES }).sort();
const plainSigmoid = fs.readFileSync(path.join(OWN, 'plain-sigmoid.yaml'), 'utf8');

/** `n` bare conv + activation rows on 16 channels and a 1×1 nn.Conv2d output row. */
function bare(n: number, activation: string): string {
  const rows = [`  - [-1, 1, nn.Conv2d, [3, 16, 3, 1, 1]] # 0`, `  - [-1, 1, ${activation}, []] # 1`];
  for (let i = 1; i < n; i++) rows.push(`  - [-1, 1, nn.Conv2d, [16, 16, 3, 1, 1]] # ${2 * i}`, `  - [-1, 1, ${activation}, []] # ${2 * i + 1}`);
  return `nc: 10\nbackbone:\n${rows.join('\n')}\nhead:\n  - [-1, 1, nn.Conv2d, [16, 10, 1]] # ${2 * n}\n`;
}
const tanh = bare(16, 'nn.Tanh');

ruleTester('vanishing-gradient', {
  valid: [
    ...upstream.map((rel) => ({ name: `upstream ${rel}`, code: fs.readFileSync(path.join(FIXTURES, rel), 'utf8'), file: path.basename(rel) })),
    { name: 'three bare conv + sigmoid rows', code: bare(3, 'nn.Sigmoid'), file: 'bare.yaml' },
    // tanh keeps φ'(0) = 1: ten rows lose what PyTorch's default init loses, about 2.4 decades.
    { name: 'ten bare conv + tanh rows', code: bare(10, 'nn.Tanh'), file: 'bare.yaml' },
  ],
  invalid: [
    {
      name: 'ten bare nn.Conv2d + nn.Sigmoid rows',
      code: plainSigmoid,
      file: 'plain-sigmoid.yaml',
      errors: [
        {
          ...at(plainSigmoid, 'nn.Conv2d'),
          message:
            /^Vanishing gradient in plain-sigmoid\.yaml: at row 0, the first weighted layer's gradient RMS is predicted at 10\^-[7-9]\.\d of the last one's \(threshold 10\^-3\.0\).*; across the 21 rows without batch norm \(0, 1 … 20\) the gradient falls from 10\^-\d\.\d at row 20 to 10\^-\d+\.\d at row 0, [7-9]\.\d decades\.$/,
          severity: 'warning',
          text: 'nn.Conv2d',
          preferredFix: 'Use Conv (convolution, batch norm, SiLU) for the bare nn.Conv2d in rows 0, 2 … 18',
        },
      ],
    },
    {
      name: 'sixteen bare nn.Conv2d + nn.Tanh rows',
      code: tanh,
      file: 'bare.yaml',
      errors: [{ ...at(tanh, 'nn.Conv2d'), message: /^Vanishing gradient in bare\.yaml: at row 0, .* decades\.$/, preferredFix: /^Use Conv/ }],
    },
  ],
});
