import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractYaml } from '../../../src/core/yaml/extract';

// The oracle: parameter counts Ultralytics' own code builds from the fixture files (SOURCE.md).
const FIXTURES = path.join(__dirname, '../../fixtures/yolo');
const ULTRALYTICS_FOLDERS = ['v3', 'v5', 'v6', 'v8', 'v9', 'v10', '11', '12', '26', 'rt-detr'];

interface Expected {
  file: string;
  scale: string | undefined;
  total: number;
  perRow: number[];
}

const oracleText = fs.readFileSync(path.join(FIXTURES, 'params.tsv'), 'utf8');

function readOracle(): Expected[] {
  return oracleText
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith('file\t'))
    .map((line) => {
      const [file, scale, total, perRow] = line.split('\t');
      return { file, scale: scale === '-' ? undefined : scale, total: Number(total), perRow: perRow.split(',').map(Number) };
    });
}

describe('YOLO YAML parameter counts (params.tsv)', () => {
  const oracle = readOracle();

  it('covers every scale of every Ultralytics fixture file, but those Ultralytics itself does not build', () => {
    const counted = new Set(oracle.map((e) => e.file));
    const notBuilt = new Set([...oracleText.matchAll(/^# (\S+) \S+: not built/gm)].map((m) => m[1]));
    const files = ULTRALYTICS_FOLDERS.flatMap((folder) => fs.readdirSync(path.join(FIXTURES, folder)).map((name) => `${folder}/${name}`));
    assert.deepEqual(files.filter((file) => !counted.has(file) && !notBuilt.has(file)), []);
    assert.deepEqual([...notBuilt], ['26/yolo26-depth.yaml']);
    assert.equal(oracle.length, 241);
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

  // YOLO26, YOLO11 obb/pose, YOLOv8-ghost (copied from Ultralytics, see SOURCE.md): each scale's total equals the summary
  // Ultralytics' own model.info() printed into the file. The last C3k2 row
  // ([1024, True, 0.5, True]) is a Bottleneck + PSABlock although c3k is True (84,224 short at n before).
  const withSummaries = [
    // yolo26-depth has none; yolo26-sem's are yolo26.yaml's, copied unchanged (params.tsv has its own counts).
    ...fs.readdirSync(path.join(FIXTURES, '26')).filter((file) => file !== 'yolo26-depth.yaml' && file !== 'yolo26-sem.yaml').map((file) => `26/${file}`),
    '11/yolo11-obb.yaml',
    '11/yolo11-pose.yaml',
    'v8/yolov8-ghost.yaml',
  ].sort();
  it('reads the summaries of nine YOLO26 files, two YOLO11 ones and yolov8-ghost', () => assert.equal(withSummaries.length, 12));
  for (const file of withSummaries) {
    const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    const summaries = [...text.matchAll(/^ {2}([nslmx]): \[.*summary: [\d,]+ layers, +([\d,]+) parameters/gm)].map((m) => [m[1], Number(m[2].replace(/,/g, ''))] as const);
    it(`${file}: every scale's total equals the file's own summary (${summaries.length} scales)`, () => {
      assert.equal(summaries.length, 5);
      for (const [scale, total] of summaries) {
        const result = extractYaml(path.basename(file), text, { scale });
        assert.deepEqual(result.problems, []);
        assert.equal(result.models[0].params, total, `scale ${scale}`);
      }
    });
  }

  it('v9/yolov9c.yaml: 25,590,912 parameters, the total in its own header comment', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'v9/yolov9c.yaml'), 'utf8');
    const result = extractYaml('yolov9c.yaml', text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.models[0].params, 25590912);
  });

  it('26/yolo26-depth.yaml: the Depth head is built (5,174,945 parameters at n, the 5.17 M upstream gives; 2.18 M with it unknown)', () => {
    const text = fs.readFileSync(path.join(FIXTURES, '26/yolo26-depth.yaml'), 'utf8');
    const result = extractYaml('yolo26-depth.yaml', text, { scale: 'n' });
    assert.deepEqual(result.problems, []);
    const model = result.models[0];
    // Depth(256, ch=(64, 128, 256)): proj 1×1 Convs 116,224; two refine pairs of 3×3 Convs 2,361,344;
    // head Conv 3×3 295,168 + ConvTranspose 2×2 65,664 + Conv 3×3 73,856 + Conv2d 1×1 65.
    assert.equal(model.rows!.at(-1)!.params, 2912321);
    assert.equal(model.params, 5174945);
    assert.equal(model.unknownRows, undefined);
  });

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

  it("counts Ultralytics' C1, BottleneckCSP and C3TR from their constructors (formerly unknown rows)", () => {
    const text = 'nc: 10\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2]]\n  - [-1, 1, C1, [32]]\n  - [-1, 1, BottleneckCSP, [32]]\n  - [-1, 1, C3TR, [32]]\nhead:\n  - [-1, 1, Classify, [nc]]\n';
    const result = extractYaml('m.yaml', text);
    assert.deepEqual(result.problems, []);
    // C1(16, 32): cv1 1×1 (512 + 64 BN) + one 3×3 Conv (9216 + 64) = 9856.
    // BottleneckCSP(32, 32), c = 16: cv1 544, two 3×3 Convs 2 × 2336, cv3 256, cv2 512, BN 64, cv4 1088 = 7136.
    // C3TR(32, 32), c = 16: cv1 544, cv2 544, cv3 1088, TransformerBlock: Linear 272, q/k/v/fc1/fc2 1280, attention 1088 = 4816.
    assert.deepEqual(result.models[0].rows!.slice(1, 4).map((r) => r.params), [9856, 7136, 4816]);
  });

  it("counts TorchVision rows of torchvision's ResNets, unwrapped and truncated as Ultralytics does", () => {
    // References: sum of parameters of nn.Sequential(*list(get_model(name).children())[:-truncate]), torchvision 0.14.
    const cases = [['resnet50', 2, 23508032], ['resnet34', 3, 8170304], ['resnet101', 2, 42500160]] as const;
    for (const [model, truncate, params] of cases) {
      const text = `nc: 10\nbackbone:\n  - [-1, 1, TorchVision, [2048, ${model}, DEFAULT, True, ${truncate}]]\nhead:\n  - [-1, 1, Classify, [nc]]\n`;
      const result = extractYaml('m.yaml', text);
      assert.equal(result.models[0].rows![0].params, params, model);
      assert.equal(result.models[0].unknownRows, undefined);
    }
  });

  it("leaves a TorchVision model it does not model with its parameter count unknown, never guessed", () => {
    const text = 'nc: 10\nbackbone:\n  - [-1, 1, TorchVision, [768, convnext_tiny, DEFAULT, True, 2]]\nhead:\n  - [-1, 1, Classify, [nc]]\n';
    const model = extractYaml('m.yaml', text).models[0];
    assert.equal(model.rows![0].params, 0);
    assert.deepEqual(model.layers.filter((layer) => layer.row === 0).map((layer) => layer.unknown.params), ['parameter count not modelled for this module']);
  });

  it("counts Ultralytics' Focus (space-to-depth, then Conv) and C2fPSA (C2f of PSABlocks)", () => {
    const text = 'nc: 10\nbackbone:\n  - [-1, 1, Focus, [16, 3]]\n  - [-1, 1, Conv, [128, 3, 2]]\n  - [-1, 1, C2fPSA, [128]]\nhead:\n  - [-1, 1, Classify, [nc]]\n';
    const result = extractYaml('m.yaml', text);
    assert.deepEqual(result.problems, []);
    // Focus(3, 16, 3): Conv(12, 16, 3) = 1728 + 32.
    // C2fPSA(128, 128), c = 64: cv1 16,640; PSABlock(64, heads 1): qkv 8,448, proj 4,224, pe 704, ffn 8,448 + 8,320; cv2 24,832.
    assert.deepEqual(result.models[0].rows!.map((r) => r.params).filter((_, i) => i !== 1 && i !== 3), [1760, 71616]);
    assert.equal(result.models[0].rows![0].channels, 16);
  });
});
