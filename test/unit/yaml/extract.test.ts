import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ModelGraph } from '../../../src/core/graph';
import { extractYaml } from '../../../src/core/yaml/extract';
import { makeDivisible, pythonRound, scaleFromFileName } from '../../../src/core/yaml/scale';

const FIXTURES = path.join(__dirname, '../../fixtures/yolo');
const OWN = path.join(__dirname, '../../fixtures/yaml');
const fixture = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

function read(file: string, text: string, scale?: string): ModelGraph {
  const result = extractYaml(file, text, { scale });
  assert.equal(result.models.length, 1, JSON.stringify(result.problems));
  return result.models[0];
}

const layer = (model: ModelGraph, id: string) => {
  const found = model.layers.find((l) => l.id === id);
  assert.ok(found, `no layer ${id}; have ${model.layers.slice(0, 12).map((l) => l.id).join(', ')}...`);
  return found;
};

describe('YOLO YAML front end', () => {
  it('names the line and column of a YAML syntax error, and of the first of 20,000 (each used to cost a stack trace and a quote of its line)', () => {
    const text = 'nc: 80\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Conv, [64, 3, 2]] x\nhead:\n  - [-1, 1, Detect, [nc]]\n';
    const problems = extractYaml('yolov8n.yaml', text).problems.filter((p) => p.message.startsWith('YAML:'));
    assert.deepEqual(problems.map((p) => [p.message, p.range.start]), [['YAML: Unexpected scalar at node end at line 4, column 31', text.indexOf(' x') + 1]]);
    const nested = text.replace('[64, 3, 2]]\n  - ', `[64, 3, 2]]\n  - ${'['.repeat(20_000)}\n  - `);
    const first = extractYaml('yolov8n.yaml', nested).problems.find((p) => p.message.startsWith('YAML:'));
    assert.match(first?.message ?? '', / at line \d+, column \d+$/);
  });

  describe('recognition', () => {
    const others: Record<string, string> = {
      'ci.yml': 'name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n',
      'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
      'coco8.yaml': 'path: ../datasets/coco8\ntrain: images/train\nval: images/val\nnames:\n  0: person\n  1: bicycle\n',
      'backbone-only.yaml': 'backbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n',
      'broken.yaml': 'key: [unclosed\n  - : :\n',
      'multi.yaml': 'apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\n',
      'list.yaml': '- backbone\n- head\n',
    };
    for (const [file, text] of Object.entries(others)) {
      it(`ignores ${file} without a message`, () => {
        assert.deepEqual(extractYaml(file, text), { file, models: [], problems: [] });
      });
    }
  });

  describe('rows, ranges and scales', () => {
    const text = fixture('11/yolo11.yaml');
    const model = read('yolo11n.yaml', text);

    it('numbers rows across backbone and head and keeps their source ranges', () => {
      const rows = model.rows!;
      assert.equal(rows.length, 24);
      const row2 = rows[2];
      assert.equal(text.slice(row2.range.start, row2.range.end), '[-1, 2, C3k2, [256, False, 0.25]]');
      assert.equal(text.slice(row2.moduleRange.start, row2.moduleRange.end), 'C3k2');
      assert.deepEqual(row2.argRanges.map((r) => text.slice(r.start, r.end)), ['256', 'False', '0.25']);
      assert.equal(row2.line, text.slice(0, row2.range.start).split('\n').length);
      const detect = rows[23];
      assert.equal(detect.module, 'Detect');
      assert.deepEqual(detect.from, [16, 19, 22]);
      assert.deepEqual(rows[12].from, [11, 6]);
    });

    it('reads the scale n: as the string "n" (YAML 1.2), scaling channels and repeats', () => {
      const row2 = model.rows![2];
      assert.equal(row2.channels, 64); // make_divisible(256 * 0.25, 8)
      assert.equal(row2.repeats, 1); // the repeat count moved into args[2]
      assert.deepEqual(row2.args, [32, 64, 1, false, 0.25]);
      assert.equal(model.rows![10].channels, 256);
    });

    it('forces C3k2 c3k on for scales m, l and x (hidden scale-dependent argument)', () => {
      const m = read('yolo11m.yaml', text);
      assert.deepEqual(m.rows![2].args, [128, 256, 1, true, 0.25]);
      assert.ok(m.layers.some((l) => l.id === '2.m.0.m.1.cv2.conv'), 'C3k blocks expanded');
    });

    it('expands Conv into conv2d → batchNormalization → activation with PyTorch initialisation', () => {
      const conv = layer(model, '0.conv');
      assert.equal(conv.kind, 'conv2d');
      assert.equal(conv.row, 0);
      assert.equal(conv.config.filters, 16);
      assert.deepEqual(conv.config.kernelSize, [3, 3]);
      assert.deepEqual(conv.config.strides, [2, 2]);
      assert.equal(conv.config.padding, 1);
      assert.equal(conv.config.useBias, false);
      assert.deepEqual(conv.config.kernelInitializer, { name: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
      const bn = layer(model, '0.bn');
      assert.equal(bn.kind, 'batchNormalization');
      assert.equal(bn.config.epsilon, 1e-3);
      assert.equal(layer(model, '0.act').config.activation, 'swish');
      // SPPF's first conv has no activation since Ultralytics 8.4.
      assert.ok(!model.layers.some((l) => l.id === '9.cv1.act'));
      assert.equal(layer(model, '9.cv2.act').config.activation, 'swish');
    });

    it('builds a well-formed graph: every node after its inputs, every inner layer on a row', () => {
      const seen = new Set<string>();
      const layerIds = new Set(model.layers.map((l) => l.id));
      for (const node of model.nodes) {
        assert.ok(layerIds.has(node.layer));
        for (const input of node.inputs) assert.ok(seen.has(input), `${node.id} reads ${input} before it exists`);
        seen.add(node.id);
      }
      for (const l of model.layers) if (l.kind !== 'input') assert.equal(typeof l.row, 'number', l.id);
      assert.deepEqual(model.inputShape, [64, 64, 3]);
      assert.deepEqual(model.outputs, ['23.cv2.out', '23.cv3.out']);
      assert.equal(layer(model, '23.dfl.conv').config.trainable, false);
    });

    it('uses the DW class branch for YOLO11 heads and the legacy one for YOLOv8', () => {
      assert.equal(layer(model, '23.cv3.0.0.0.conv').config.groups, 64);
      const v8 = read('yolov8n.yaml', fixture('v8/yolov8.yaml'));
      assert.equal(layer(v8, '22.cv3.0.0.conv').config.groups, 1);
      assert.deepEqual(layer(v8, '22.cv3.0.0.conv').config.kernelSize, [3, 3]);
    });

    it('resolves relative from -2 and stacks n copies of non-CSP modules (YOLOv3)', () => {
      const v3 = read('yolov3.yaml', fixture('v3/yolov3.yaml'));
      assert.deepEqual(v3.rows![16].from, [14]);
      assert.equal(v3.rows![6].repeats, 8);
      assert.ok(v3.layers.some((l) => l.id === '6.7.cv2.conv'));
    });

    it('gives segmentation and classification heads their outputs', () => {
      const seg = read('yolo11n-seg.yaml', fixture('11/yolo11-seg.yaml'));
      assert.equal(seg.outputs.length, 4);
      const cls = read('yolov8n-cls.yaml', fixture('v8/yolov8-cls.yaml'));
      assert.deepEqual(cls.outputs, ['9.linear']);
      assert.equal(layer(cls, '9.linear').config.units, 1000);
      assert.equal(layer(cls, '0.bn').config.epsilon, 1e-5); // ClassificationModel keeps PyTorch BN defaults
    });
  });

  describe('activation:', () => {
    const base = fixture('11/yolo11.yaml');
    const withActivation = (expr: string): string => base.replace('nc: 80 # number of classes\n', `nc: 80 # number of classes\nactivation: ${expr}\n`);

    it('applies nn.LeakyReLU(0.1) to every Conv and points at the expression', () => {
      const text = withActivation('nn.LeakyReLU(0.1)');
      const model = read('yolo11n.yaml', text);
      const act = layer(model, '0.act');
      assert.deepEqual([act.config.activation, act.config.alpha], ['leakyReLU', 0.1]);
      const where = act.props.activation.value;
      assert.equal(text.slice(where.start, where.end), 'nn.LeakyReLU(0.1)');
      assert.equal(model.params, 2624080);
    });

    for (const [expr, id] of [['torch.nn.ReLU()', 'relu'], ['nn.Sigmoid()', 'sigmoid'], ['nn.Tanh()', 'tanh'], ['nn.Hardswish()', 'hardSwish'], ['nn.GELU()', 'gelu'], ['nn.Identity()', 'linear'], ['nn.ReLU6(inplace=True)', 'relu6']]) {
      it(`reads ${expr} as ${id} without evaluating it`, () => {
        assert.equal(layer(read('yolo11n.yaml', withActivation(expr)), '1.act').config.activation, id);
      });
    }

    it('reports what it cannot read and keeps SiLU', () => {
      const result = extractYaml('yolo11n.yaml', withActivation('__import__("os").system("x")'));
      assert.match(result.problems[0].message, /cannot read the activation expression/);
      assert.equal(result.models[0].layers.find((l) => l.id === '0.act')!.config.activation, 'swish');
      const bare = extractYaml('yolo11n.yaml', withActivation('nn.SiLU'));
      assert.match(bare.problems[0].message, /class, not a module/);
    });
  });

  describe('bad input', () => {
    const text = fs.readFileSync(path.join(OWN, 'bad-rows.yaml'), 'utf8');
    const result = extractYaml('bad-rows.yaml', text);
    const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
    const problemsOnLine = (line: number) => result.problems.filter((p) => lineOf(p.range.start) === line).map((p) => `${p.severity}: ${p.message}`);

    it('still reads the model with every row numbered', () => {
      assert.equal(result.models[0].rows!.length, 11);
      assert.equal(result.models[0].rows![10].module, 'Classify');
    });

    it('reports each bad row on its own line', () => {
      const line = (comment: string): number => text.split('\n').findIndex((l) => l.includes(comment)) + 1;
      assert.match(problemsOnLine(line('# 1:')).join(), /error: Row 1: a row must be a list \[from, repeats, module, args\]/);
      assert.match(problemsOnLine(line('# 2')).join(), /Row 2: a row must be a list/);
      assert.match(problemsOnLine(line('# 3:')).join(), /`from` 5 points at row 5, which is not built yet/);
      assert.match(problemsOnLine(line('# 4:')).join(), /`from` -9 points before the first row/);
      assert.match(problemsOnLine(line('# 5:')).join(), /^info: 1 of 11 rows unknown \(FancyBlock\): the estimate treats them as identity\.$/);
      assert.match(problemsOnLine(line('# 6:')).join(), /warning: Row 6: 1000000000 repeats is not a plausible model; analysed with 32/);
      assert.match(problemsOnLine(line('# 7:')).join(), /warning: Row 7: 1000000000 is not a plausible size; analysed with 65536/);
      assert.match(problemsOnLine(line('# 8:')).join(), /`repeats` must be a positive integer/);
      assert.match(problemsOnLine(line('# 9:')).join(), /Conv needs the output channels as its first argument/);
    });

    it('treats the unknown module as an identity layer that says so', () => {
      const opaque = result.models[0].layers.find((l) => l.row === 5)!;
      assert.equal(opaque.kind, 'opaque');
      assert.match(opaque.note!, /Unknown module FancyBlock; treated as identity/);
    });

    it('reports YAML syntax errors of a model file instead of throwing', () => {
      const broken = 'nc: 80\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]\nhead:\n  - [-1, 1, Classify, [nc]]\n';
      const r = extractYaml('m.yaml', broken);
      assert.ok(r.problems.some((p) => p.severity === 'error' && p.message.startsWith('YAML:')), JSON.stringify(r.problems));
    });

    it('never hangs on absurd repeats and channels in every position', () => {
      const absurd = 'nc: 1000000000\nscales:\n  n: [1000000000, 1000000000, 1000000000]\nbackbone:\n  - [-1, 1000000000, C3k2, [1000000000, True]]\n  - [-1, 1000000000, Conv, [1000000000]]\n  - [-1, 1000000000, RepNCSPELAN4, [1000000000, 1000000000, 1000000000, 1000000000]]\n  - [-1, 1000000000, HGBlock, [1000000000, 1000000000]]\nhead:\n  - [[-1, 0], 1, Detect, [nc]]\n';
      const r = extractYaml('a.yaml', absurd);
      assert.ok(r.models[0].layers.length < 12500);
      const messages = r.problems.map((p) => p.message).join('\n');
      assert.match(messages, /Row 0: 1000000000 is not a plausible size; analysed with 65536/);
      assert.match(messages, /Row 1: 1000000000000000000 repeats is not a plausible model; analysed with 32/);
      assert.match(messages, /more than 10000 inner layers, far beyond any real model; copies after the first \d+ of this row, and the rows after it, are not analysed/);
    });

    it('reports a missing nc: where a row uses it', () => {
      const r = extractYaml('m.yaml', 'backbone:\n  - [-1, 1, Conv, [16, 3, 2]]\nhead:\n  - [-1, 1, Classify, [nc]]\n');
      assert.deepEqual(r.problems.map((p) => p.message), ['Row 1: `nc` is used but the file sets no `nc:`; analysed with 80 classes.']);
    });

    it('reads rows of bare nn.Conv2d and nn.Sigmoid with the kernel widths as written', () => {
      const plain = read('plain-sigmoid.yaml', fs.readFileSync(path.join(OWN, 'plain-sigmoid.yaml'), 'utf8'));
      assert.equal(plain.rows!.length, 21);
      assert.equal(plain.rows![0].params, 3 * 32 * 9 + 32);
      assert.equal(plain.rows![2].params, 32 * 32 * 9 + 32);
      assert.equal(layer(plain, '1').config.activation, 'sigmoid');
      assert.ok(!plain.layers.some((l) => l.kind === 'batchNormalization'));
    });
  });

  describe('transformer modules', () => {
    it('counts AIFI and RTDETRDecoder parameters as Ultralytics prints them for RT-DETR-l', () => {
      const text = 'nc: 80\nbackbone:\n  - [-1, 1, Conv, [256, 3, 2]]\n  - [-1, 1, Conv, [256, 3, 2]]\n  - [-1, 1, Conv, [256, 3, 2]]\nhead:\n  - [-1, 1, AIFI, [1024, 8]]\n  - [[1, 2, 3], 1, RTDETRDecoder, [nc]]\n';
      const result = extractYaml('rt.yaml', text);
      assert.deepEqual(result.problems, []);
      const rows = result.models[0].rows!;
      assert.equal(rows[3].params, 789760); // rtdetr-l row 11
      assert.equal(rows[4].params, 7466252); // rtdetr-l row 28 (three 256-channel levels)
      assert.match(result.models[0].layers.find((l) => l.row === 3)!.note!, /AIFI .* treated as identity/);
    });
  });

  describe('world models', () => {
    it('scales C2fAttn embed channels and heads, and counts the text parts', () => {
      const text = fs.readFileSync(path.join(OWN, 'modules-d.yaml'), 'utf8');
      const model = read('modules-d.yaml', text);
      const rows = model.rows!;
      assert.deepEqual(rows[4].args, [128, 128, 1, 64, 2]);
      // MaxSigmoidAttnBlock(64, 64, nh=2, ec=64, gc=512): no embed conv (64 == ec), Linear(512, 64), 2 biases.
      assert.equal(model.layers.find((l) => l.id === '4.attn.gate')!.config.params, 512 * 64 + 64 + 2);
      // ImagePoolingAttn(64, ch=[64, 128]): projections, query/key/value with LayerNorms, proj.
      assert.equal(rows[5].params, 64 * 64 + 64 + 128 * 64 + 64 + 2 * 512 + 512 * 64 + 64 + 2 * (2 * 64 + 64 * 64 + 64) + 64 * 512 + 512);
      assert.equal(rows[5].channels, rows[4].channels); // its c2 is not reassigned
    });
  });

  describe('YOLO26 heads', () => {
    it('counts Pose26: shared keypoint trunk, keypoint and sigma convs, one-to-one copies and the RealNVP flow', () => {
      const model = read('modules-f.yaml', fs.readFileSync(path.join(OWN, 'modules-f.yaml'), 'utf8'));
      const flow = model.layers.find((l) => l.id === '5.flow_model')!;
      assert.equal(flow.config.params, 53784);
      assert.ok(!model.nodes.some((n) => n.layer === '5.flow_model' || n.layer.startsWith('5.one2one_')));
      // c4 = max(64 // 4, 17 * (3 + 2)) = 85 channels in the keypoint trunk.
      assert.equal(model.layers.find((l) => l.id === '5.cv4.0.0.conv')!.config.filters, 85);
      assert.equal(model.layers.find((l) => l.id === '5.cv4_sigma.1')!.config.filters, 34);
    });
  });

  describe('Python arithmetic', () => {
    it("rounds halves to even like Python's round()", () => {
      assert.deepEqual([0.5, 1.5, 2.5, 3.5, 2.49, 2.51].map(pythonRound), [0, 2, 2, 4, 2, 3]);
    });
    it('makes channels divisible by 8 upwards', () => {
      assert.deepEqual([makeDivisible(64 * 0.25, 8), makeDivisible(1024 * 0.75, 8), makeDivisible(20, 8)], [16, 768, 24]);
    });
    it('finds the scale letter in file names as Ultralytics does', () => {
      assert.deepEqual(['yolo11n.yaml', 'yolov8s-seg.yaml', 'yoloe-11l-seg.yaml', 'yolo11.yaml', 'rtdetr-l.yaml'].map(scaleFromFileName), ['n', 's', 'l', undefined, undefined]);
    });
  });
});
