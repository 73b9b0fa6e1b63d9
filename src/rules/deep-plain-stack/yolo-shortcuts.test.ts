import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { ruleTester } from '../../../test/rules/ruleTester';
import { at } from '../../../test/rules/models';

// deep-plain-stack on YOLO YAML: long plain runs through rows whose shortcut argument is off.
const FIXTURES = path.join(__dirname, '../../../test/fixtures/yolo');
const upstream = fg.sync('**/*.yaml', { cwd: FIXTURES }).sort();
const yolov5 = fs.readFileSync(path.join(FIXTURES, 'v5/yolov5.yaml'), 'utf8');

/** `count` rows (three unless said) of four Bottlenecks each, with `shortcut` as written, under an optional activation setting. */
function bottlenecks(shortcut: string, activation?: string, count = 3): string {
  const rows = Array.from({ length: count }, (_, i) => `  - [-1, 4, Bottleneck, [32${shortcut}]] # ${i + 1}`);
  return `nc: 10\n${activation ? `activation: ${activation}\n` : ''}backbone:\n  - [-1, 1, Conv, [32, 3, 2]] # 0\n${rows.join('\n')}\nhead:\n  - [-1, 1, Classify, [nc]] # ${count + 1}\n`;
}
const sigmoid = bottlenecks(', False', 'nn.Sigmoid()');
const deepSigmoid = bottlenecks(', False', 'nn.Sigmoid()', 6);
const silu = bottlenecks(', False');
const c3Off = yolov5.replace('  - [-1, 9, C3, [512]]\n', '  - [-1, 9, C3, [512, False]] # shortcut off\n');

ruleTester('deep-plain-stack', {
  valid: [
    ...upstream.map((rel) => ({ name: `upstream ${rel}`, code: fs.readFileSync(path.join(FIXTURES, rel), 'utf8'), file: path.basename(rel) })),
    { name: 'the same Bottleneck rows with their shortcut on (the default)', code: bottlenecks('', 'nn.Sigmoid()'), file: 'bottlenecks.yaml' },
    { name: 'yolov5 with C3 shortcut off at scale n: 3 repeats stay short', code: c3Off, file: 'yolov5n.yaml' },
  ],
  invalid: [
    {
      name: 'six Bottleneck rows with shortcut False under nn.Sigmoid(): the estimate shows the gradient falling past the flow threshold, a warning',
      code: deepSigmoid,
      file: 'bottlenecks.yaml',
      errors: [
        {
          ...at(deepSigmoid, 'False'),
          message:
            /^51 weighted layers on one path without a skip connection, through rows with the shortcut off \(1 Bottleneck, 2 Bottleneck, .* 6 Bottleneck\); the estimate puts the gradient at row 0 at 10\^-\d\.\d of row 7's \(\d\.\d decades lost; a warning below 10\^-3\.5 with 20 layers\)\.$/,
          severity: 'warning',
          text: 'False',
          preferredFix: 'Turn the shortcut on in rows 1, 2, 3, 4, 5, 6',
        },
      ],
    },
    {
      name: 'three such rows lose less than the flow threshold: information',
      code: sigmoid,
      file: 'bottlenecks.yaml',
      errors: [{ ...at(sigmoid, 'False'), message: /^27 weighted layers .*\(2\.\d decades lost; a warning below 10\^-3\.5 with 20 layers\)\.$/, severity: 'info', text: 'False' }],
    },
    {
      name: 'the same rows under SiLU: batch norm keeps the gradient, information only',
      code: silu,
      file: 'bottlenecks.yaml',
      errors: [{ ...at(silu, 'False'), message: /^27 weighted layers .*\(nothing lost|\(0\.\d decades lost/, severity: 'info', text: 'False' }],
    },
    {
      name: 'yolov5x with C3 shortcut off: 12 repeats inside one row, which the per-row estimate cannot follow',
      code: c3Off,
      file: 'yolov5x.yaml',
      errors: [{ ...at(c3Off, 'False'), message: /^25 weighted layers .*\(6 C3\); the estimate, per row, cannot follow the gradient inside row 6\.$/, severity: 'info', preferredFix: 'Turn the shortcut on in row 6' }],
    },
  ],
});
