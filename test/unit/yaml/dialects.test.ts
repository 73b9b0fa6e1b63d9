import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractYaml } from '../../../src/core/yaml/extract';
import { lint as lintText } from '../../../src/lint/index';

// The oracle: parameter counts each repository's own code builds from its model YAMLs
// (written by scripts/yolo-reference/regenerate.sh; see test/fixtures/yolo/SOURCE.md).
const FIXTURES = path.join(__dirname, '../../fixtures/yolo');
// own/: gradlint's files for the modules no repository YAML uses, counted by the repositories' code too.
const REPOS = ['yolov5', 'yolov7', 'yolov9', 'own'];

interface Expected {
  file: string;
  total: number;
  perRow: number[];
}

function readOracle(): { counted: Expected[]; notBuilt: string[] } {
  const lines = fs.readFileSync(path.join(FIXTURES, 'repos-params.tsv'), 'utf8').split('\n');
  const counted = lines
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith('file\t'))
    .map((line) => {
      const [file, , total, perRow] = line.split('\t');
      return { file, total: Number(total), perRow: perRow.split(',').map(Number) };
    });
  // "# <file>: not built by the repository: ..." (e.g. YOLOv5-format files kept in the YOLOv9 repository).
  const notBuilt = lines.filter((line) => line.includes(': not built by the repository')).map((line) => line.slice(2, line.indexOf(':')));
  return { counted, notBuilt };
}

function modelFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? modelFiles(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []));
}

const read = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

describe('YOLOv5/v7/v9 repository YAMLs (repos-params.tsv)', () => {
  const { counted, notBuilt } = readOracle();

  it('the oracle covers every fixture file of the three repositories', () => {
    const listed = new Set([...counted.map((e) => e.file), ...notBuilt]);
    const files = REPOS.flatMap((repo) => modelFiles(path.join(FIXTURES, repo))).map((f) => path.relative(FIXTURES, f).split(path.sep).join('/'));
    assert.deepEqual(files.filter((f) => !listed.has(f)), []);
    assert.equal(counted.length, 76);
  });

  for (const expected of counted) {
    it(`${expected.file}: ${expected.total} parameters, every row exact`, () => {
      const result = extractYaml(expected.file, read(expected.file));
      assert.deepEqual(result.problems, []);
      const [model] = result.models;
      assert.deepEqual(model.rows!.map((r) => r.params), expected.perRow);
      assert.equal(model.params, expected.total);
      assert.equal(model.unknownRows, undefined);
    });
  }

  it('names the dialect in the model name (what `gradlint graph` shows)', () => {
    const names = ['yolov5/models/yolov5s.yaml', 'yolov7/cfg/training/yolov7.yaml', 'yolov9/models/detect/yolov9-c.yaml'].map((f) => extractYaml(f, read(f)).models[0].name);
    assert.deepEqual(names, ['yolov5s.yaml (YOLOv5 repository)', 'yolov7.yaml (YOLOv7 repository)', 'yolov9-c.yaml (YOLOv9 repository)']);
  });

  it('a YOLOv5 file is 229,245 parameters in its Detect head, not an Ultralytics Detect', () => {
    const model = extractYaml('yolov5s.yaml', read('yolov5/models/yolov5s.yaml')).models[0];
    assert.equal(model.rows![model.rows!.length - 1].params, 229245);
    assert.equal(model.params, 7235389);
  });

  it('an Ultralytics file (scales:, no anchors:) with RepConv rows stays Ultralytics: its C2f rows are read', () => {
    const text = ['nc: 80', 'scales:', '  n: [0.33, 0.25, 1024]', 'backbone:', '  - [-1, 1, Conv, [64, 3, 2]]', '  - [-1, 1, Conv, [128, 3, 2]]', '  - [-1, 3, C2f, [128, True]]', '  - [-1, 1, RepConv, [128, 3, 1]]', 'head:', '  - [-1, 1, nn.Upsample, [None, 2, "nearest"]]'].join('\n');
    const result = extractYaml('yolov8n-rep.yaml', text);
    const model = result.models[0];
    assert.equal(model.name, 'yolov8n-rep.yaml (scale n)');
    // Ultralytics' parse_model has no RepConv row (without the project's Python it stays unknown), but C2f is its own.
    assert.deepEqual(model.unknownRows?.modules, ['RepConv']);
    // Ultralytics' C2f(32, 32, 1, True): 7,360 parameters.
    assert.deepEqual([model.rows![2].module, model.rows![2].params], ['C2f', 7360]);
  });

  it('a file with IDetect is YOLOv7, also with `anchors: 3` (a count, as community YOLOv7 files write it)', () => {
    const body = ['backbone:', '  [[-1, 1, Conv, [32, 3, 2]],', '   [-1, 1, Conv, [64, 3, 2]],', '   [-1, 1, MP, []],', '   [-1, 1, Conv, [128, 3, 1]],', '   [-1, 1, MP, []],', '   [-1, 1, Conv, [256, 3, 1]],', '   [-1, 1, MP, []],', '   [-1, 1, Conv, [512, 3, 1]]]', 'head:', '  [[[3, 5, 7], 1, IDetect, [nc, anchors]]]'];
    const settings = ['nc: 80', 'depth_multiple: 1.0', 'width_multiple: 1.0'];
    const counted = extractYaml('yolov7-count.yaml', [...settings, 'anchors: 3', ...body].join('\n')).models[0];
    const listed = extractYaml('yolov7-listed.yaml', [...settings, 'anchors:', '  - [12,16, 19,36, 40,28]', '  - [36,75, 76,55, 72,146]', '  - [142,110, 192,243, 459,401]', ...body].join('\n')).models[0];
    assert.equal(counted.name, 'yolov7-count.yaml (YOLOv7 repository)');
    assert.equal(counted.unknownRows, undefined);
    // The head's parameters depend on the number of anchors per level only: 3 either way.
    assert.deepEqual(counted.rows!.map((r) => r.params), listed.rows!.map((r) => r.params));
  });

  it('the dialect option forces a dialect over the content', () => {
    const model = extractYaml('yolov5s.yaml', read('yolov5/models/yolov5s.yaml'), { dialect: 'ultralytics' }).models[0];
    assert.equal(model.name, 'yolov5s.yaml');
    assert.equal(model.rows![model.rows!.length - 1].params, 2147008);
  });

  for (const rel of REPOS.flatMap((repo) => modelFiles(path.join(FIXTURES, repo)))) {
    const shown = path.relative(FIXTURES, rel);
    it(`${shown} lints without warning or error`, () => {
      const { diagnostics } = lintText(rel, fs.readFileSync(rel, 'utf8'));
      assert.deepEqual(diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`), []);
    });
  }

  describe('bad input in the dialects stays bounded', () => {
    const cases: Record<string, string> = {
      'a YOLOv5 file with absurd multiples, anchors and protos':
        'nc: 1000000000\nanchors:\n  - [1, 2]\ndepth_multiple: 1e9\nwidth_multiple: 1e9\nbackbone:\n  - [-1, 1000000000, C3, [1000000000]]\nhead:\n  - [[0], 1, Detect, [nc, 1000000000]]\n  - [[0], 1, Segment, [nc, anchors, 1000000000, 1000000000]]\n',
      'YOLOv9 heads given too few inputs': 'nc: 80\nanchors: 3\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2]]\nhead:\n  - [[0], 1, DSegment, [nc, 32, 256]]\n  - [[0], 1, DualDSegment, [nc, 32, 256]]\n  - [[0], 1, TripleDDetect, [nc]]\n',
      'YOLOv7 rows with absurd repeats and sizes':
        'nc: 80\nanchors:\n  - [10,13, 16,30]\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2, None, 1, nn.LeakyReLU(x)]]\n  - [-1, 1000000000, BottleneckCSPB, [1000000000]]\n  - [-1, 1, SP, [1000000000]]\nhead:\n  - [[0, 1], 1, IAuxDetect, [nc, 1000000000]]\n',
    };
    for (const [what, text] of Object.entries(cases)) {
      it(`${what}: a model, every size capped and said`, () => {
        const result = extractYaml('bad.yaml', text);
        assert.equal(result.models.length, 1, JSON.stringify(result.problems));
        assert.ok(result.models[0].layers.length < 25000);
        assert.ok(result.models[0].layers.every((l) => Object.values(l.config).every((v) => typeof v !== 'number' || v <= 65536 * 65536)));
        assert.ok(result.problems.every((p) => p.severity !== 'error'), JSON.stringify(result.problems));
      });
    }
  });
});
