import * as fs from 'fs';
import * as path from 'path';
import { ruleTester } from '../../../test/rules/ruleTester';
import { at } from '../../../test/rules/models';

// saturating-stack on YOLO YAML: the global `activation:` setting.
const FIXTURES = path.join(__dirname, '../../../test/fixtures/yolo');
const fixture = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
const yolo11 = fixture('11/yolo11.yaml');
const withActivation = (expr: string): string => yolo11.replace('nc: 80 # number of classes\n', `nc: 80 # number of classes\nactivation: ${expr} # changed\n`);
const sigmoid = withActivation('nn.Sigmoid()');
const tanh = withActivation('torch.nn.Tanh()');

ruleTester('saturating-stack', {
  valid: [
    ...['11/yolo11.yaml', '11/yolo11-seg.yaml', '11/yolo11-cls.yaml', 'v3/yolov3.yaml', 'v5/yolov5.yaml', 'v8/yolov8.yaml', 'v8/yolov8-cls.yaml'].map((rel) => ({
      name: `upstream ${rel}`,
      code: fixture(rel),
      file: path.basename(rel),
    })),
    { name: 'activation: nn.ReLU()', code: withActivation('nn.ReLU()'), file: 'yolo11n.yaml' },
    { name: 'activation: nn.LeakyReLU(0.1)', code: withActivation('nn.LeakyReLU(0.1)'), file: 'yolo11n.yaml' },
  ],
  invalid: [
    {
      name: 'yolo11n with activation: nn.Sigmoid()',
      code: sigmoid,
      file: 'yolo11n.yaml',
      errors: [
        {
          ...at(sigmoid, 'nn.Sigmoid()'),
          message: /^activation: nn\.Sigmoid\(\) makes all 76 Conv activations saturating: the estimate puts the first row's gradient at 10\^-\d\.\d, \d\.\d decades below the SiLU original \(10\^-?\d\.\d\), and a depth ratio of 10\^-?\d\.\d\. Batch norm after every convolution keeps the gradient alive/,
          severity: 'info',
          text: 'nn.Sigmoid()',
          preferredFix: 'Use activation: nn.SiLU()',
        },
      ],
    },
    {
      name: 'yolo11n with activation: torch.nn.Tanh()',
      code: tanh,
      file: 'yolo11n.yaml',
      errors: [{ ...at(tanh, 'torch.nn.Tanh()'), message: /^activation: torch\.nn\.Tanh\(\) makes all 76 Conv activations saturating/, severity: 'info' }],
    },
  ],
});
