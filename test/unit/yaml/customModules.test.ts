import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../../src/core/extract';
import { readParseModelSets } from '../../../src/core/yaml/projectParseModel';
import { readProjectFile } from '../../../src/lint/readFile';

// A YOLOv5-format file of a project whose models/common.py defines its own SEBlock (added to
// the base set of its models/yolo.py parse_model), a class that is no torch module (Scaler),
// and a name nothing defines (Mystery). The project's Python is read, never run.
const PROJECT = path.join(__dirname, '../../fixtures/yolo-project');
const YAML = path.join(PROJECT, 'models/hub/yolov5s-se.yaml');

describe('YOLO YAML modules from the project’s own Python', () => {
  const text = fs.readFileSync(YAML, 'utf8');

  it("expands the project's class with the arguments its parse_model passes, counted as PyTorch counts them", () => {
    const result = extractModels(YAML, text, { readFile: readProjectFile });
    const model = result.models[0];
    const row = model.rows![2];
    // SEBlock is in the base set: args [c1, c2 scaled] = [64, 128 · 0.5]; SEBlock(64, 64) has 580 parameters in PyTorch.
    assert.deepEqual([row.module, row.args, row.params, row.channels], ['SEBlock', [64, 64], 580, 64]);
    assert.deepEqual(row.definedAt, { file: path.join(PROJECT, 'models/common.py'), line: 17 });
    const inner = model.layers.filter((l) => l.row === 2);
    assert.deepEqual(inner.map((l) => `${l.id} ${l.kind}`), [
      '2.pool globalAveragePooling2d',
      // PyTorch's pooling keeps the 1×1 the 1×1 convolutions need; tfjs's drops it.
      '2.pool.keepdims reshape',
      '2.fc1 conv2d',
      '2.relu activation',
      '2.fc2 conv2d',
      '2.sigmoid activation',
      '2.multiply multiply',
    ]);
    assert.deepEqual(inner.map((l) => l.note), ["From SEBlock, the project's class in models/common.py:17.", undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('says which unknown module is a class it could not read (file and line) and where the others were looked for', () => {
    const result = extractModels(YAML, text, { readFile: readProjectFile });
    assert.deepEqual(
      result.problems.map((p) => `${p.severity}: ${p.message}`),
      [
        'info: 2 of 7 rows unknown (Mystery, Scaler): the estimate treats them as identity. Scaler is a class of the project (../common.py:29) ' +
          "that gradlint could not read into layers. Mystery is not defined in the project's module files (../common.py).",
      ],
    );
    const unknown = result.models[0].unknownRows!;
    assert.deepEqual(unknown.rows, [4, 5]);
    assert.deepEqual(unknown.found, [{ module: 'Scaler', file: path.join(PROJECT, 'models/common.py'), line: 29 }]);
    assert.deepEqual(unknown.searched, [path.join(PROJECT, 'models/common.py')]);
  });

  it('says that no module file of the project exists when none is found', () => {
    const result = extractModels(YAML, text, { readFile: () => undefined });
    assert.match(result.problems[0].message, /SEBlock, Mystery, Scaler are not defined in the project: none of its conventional module files \(models\/common\.py, .*\) is in this folder or the 5 above it\.$/);
    assert.deepEqual(result.models[0].unknownRows!.searched, []);
  });

  it('reads no file when the host gives no reader (the message stays as it was)', () => {
    const result = extractModels(YAML, text);
    assert.equal(result.problems[0].message, '3 of 7 rows unknown (SEBlock, Mystery, Scaler): the estimate treats them as identity.');
    assert.equal(result.models[0].unknownRows!.searched, undefined);
  });
});

// A fork whose modules are in files its parse_model (ultralytics/nn/tasks.py) imports, not in
// the conventional ones, with the YAML five folders below the project root.
const FORK = path.join(__dirname, '../../fixtures/yolo-fork');
const FORK_YAML = path.join(FORK, 'ultralytics/cfg/models/custom/gates/yolo-gates.yaml');

describe('YOLO YAML modules in files the project imports', () => {
  it("follows the imports of the parse_model file and of package __init__ files to the project's classes", () => {
    const result = extractModels(FORK_YAML, fs.readFileSync(FORK_YAML, 'utf8'), { readFile: readProjectFile });
    assert.deepEqual(result.problems, []);
    const rows = result.models[0].rows!;
    // torch counts 464, 5,728, 50 and 552 for these rows with the fixture's own parse_model;
    // ChannelScale's branch of its own (`args = [ch[f], *args]`) hands it the 32 input channels.
    assert.deepEqual(
      rows.slice(0, 4).map((r) => [r.module, r.args, r.params]),
      [
        ['Conv', [3, 16, 3, 2], 464],
        ['GateConv', [16, 32, 3], 5728],
        ['PixelGate', [7], 50],
        ['ChannelScale', [4], 552],
      ],
    );
    assert.deepEqual(
      rows.slice(1, 3).map((r) => r.definedAt),
      [
        { file: path.join(FORK, 'ultralytics/nn/addons/gates.py'), line: 6 },
        { file: path.join(FORK, 'ultralytics/nn/modules/attention.py'), line: 6 },
      ],
    );
  });
});

// Weights outside plain layers: a subclass of nn.Conv2d, a bare nn.Parameter applied by a
// deformable convolution, a learned per-channel gain (test/fixtures/yolo-weights/SOURCE.md).
const WEIGHTS_YAML = path.join(__dirname, '../../fixtures/yolo-weights/ultralytics/cfg/models/custom/yolo-weights.yaml');

describe('YOLO YAML modules whose weights are not plain layers', () => {
  it("counts each row's parameters as PyTorch does, nn.Parameter tensors and inherited convolution weights included", () => {
    const result = extractModels(WEIGHTS_YAML, fs.readFileSync(WEIGHTS_YAML, 'utf8'), { readFile: readProjectFile });
    assert.deepEqual(result.problems, []);
    const model = result.models[0];
    // torch counts 464, 4,640, 1,088, 17,083, 2 and 0 for these rows with the fixture's own parse_model.
    assert.deepEqual(
      model.rows!.map((r) => [r.module, r.params]),
      [
        ['Conv', 464],
        ['StdConv', 4640],
        ['ScaleGate', 1088],
        ['DeformConv', 17083],
        ['Fuse', 2],
        ['nn.Upsample', 0],
      ],
    );
    // Fuse gets the row's two inputs as a list (its branch passes their number, 2) and adds them, weighted.
    const fuse = model.layers.filter((l) => l.row === 4);
    assert.deepEqual(fuse.map((l) => `${l.id} ${l.kind}`), ['4.add add']);
    const add = model.nodes.find((n) => n.layer === '4.add')!;
    assert.deepEqual(add.inputs.map((i) => model.layers.find((l) => l.id === model.nodes.find((n) => n.id === i)!.layer)!.row), [3, 2]);
    // The deformable convolution is the convolution of its weight (32 filters of 3×3 over 32 channels).
    const deform = model.layers.find((l) => l.id === '3.deform_conv2d')!;
    assert.deepEqual([deform.kind, deform.config.filters, deform.config.kernelSize, deform.config.inChannels], ['conv2d', 32, [3, 3], 32]);
    // StdConv is the convolution it derives from, applied by its forward's _conv_forward.
    assert.deepEqual(model.layers.filter((l) => l.row === 1).map((l) => `${l.id} ${l.kind} ${l.config.filters}`), ['1.conv2d conv2d 32']);
  });
});

describe("a project's parse_model module sets", () => {
  it('reads inline sets (YOLOv5 forks): the base set by its channel rule, the repeat set inside it', () => {
    const text = [
      'def parse_model(d, ch):',
      '    for i, (f, n, m, args) in enumerate(d):',
      '        if m in {Conv, C3, MyC3}:',
      '            c1, c2 = ch[f], args[0]',
      '            args = [c1, c2, *args[1:]]',
      '            if m in [C3, MyC3]:',
      '                args.insert(2, n)',
      '        elif m in {Concat, MyCat}:',
      '            c2 = sum(ch[x] for x in f)',
    ].join('\n');
    const sets = readParseModelSets(text)!;
    assert.deepEqual([[...sets.base], [...sets.repeat]], [['Conv', 'C3', 'MyC3'], ['C3', 'MyC3']]);
  });

  it('reads sets bound to names (Ultralytics forks: frozenset({...}))', () => {
    const text = [
      'def parse_model(d, ch, verbose=True):',
      '    base_modules = frozenset({Conv, C2f, nn.ConvTranspose2d, MyBlock})',
      '    repeat_modules = frozenset({C2f, MyBlock})',
      '    for i, (f, n, m, args) in enumerate(d["backbone"] + d["head"]):',
      '        if m in base_modules:',
      '            c1, c2 = ch[f], args[0]',
      '            if m in repeat_modules:',
      '                args.insert(2, n)',
    ].join('\n');
    const sets = readParseModelSets(text)!;
    assert.deepEqual([[...sets.base], [...sets.repeat]], [['Conv', 'C2f', 'ConvTranspose2d', 'MyBlock'], ['C2f', 'MyBlock']]);
  });

  it('reads branches of one module (`elif m is X:`) that hand it its input channels or its number of inputs', () => {
    const text = [
      'def parse_model(d, ch):',
      '    for i, (f, n, m, args) in enumerate(d):',
      '        if m in {Conv}:',
      '            c1, c2 = ch[f], args[0]',
      '        elif m is Fuse:',
      '            length = len([ch[x] for x in f])',
      '            args = [length]',
      '        elif m is Upsampler:',
      '            args = [ch[f]]',
    ].join('\n');
    assert.deepEqual([...readParseModelSets(text)!.input], [
      ['Fuse', 'count'],
      ['Upsampler', 'only'],
    ]);
  });

  it('finds none in a file without parse_model', () => {
    assert.equal(readParseModelSets('import torch\n'), undefined);
  });
});
