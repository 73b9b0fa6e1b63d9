import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../../src/core/graph';
import { extractYaml } from '../../src/core/yaml/extract';
import { buildModel } from '../../src/probe/build';

// The YOLO graph built into tfjs through the probe's builder registry: same trainable
// parameters as PyTorch (minus the layers off the training path), and a forward pass
// through every YOLO-specific kind gives finite outputs of the expected shapes.
const FIXTURES = path.join(__dirname, '../fixtures/yolo');
const OWN = path.join(__dirname, '../fixtures/yaml');

const read = (file: string): ModelGraph => {
  const result = extractYaml(path.basename(file), fs.readFileSync(file, 'utf8'));
  assert.deepEqual(result.problems, []);
  return result.models[0];
};

/** Parameters of layers that are not applied (DFL, one-to-one copies): PyTorch has them, the training graph does not. */
function offPathParams(model: ModelGraph): number {
  const applied = new Set(model.nodes.map((n) => n.layer));
  return model.layers.filter((l) => !applied.has(l.id) && l.kind === 'dfl').reduce((s, l) => s + (l.config.regMax as number), 0);
}

const trainableCount = (m: tf.LayersModel): number => m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, c) => a * (c ?? 1), 1), 0);

describe('YOLO graphs in tfjs (probe builders)', () => {
  before(() => tf.setBackend('cpu'));

  // The repositories' own dialects too: YOLOv5 anchor heads and Proto, YOLOv7 implicit heads and LeakyReLU rows,
  // YOLOv9's DDetect (groups=4 convolutions, split per group), Focus/ReOrg/Contract/Expand and MixConv2d.
  for (const rel of [
    '11/yolo11.yaml',
    '11/yolo11-seg.yaml',
    'v8/yolov8-cls.yaml',
    'v5/yolov5.yaml',
    'yolov5/models/segment/yolov5n-seg.yaml',
    'yolov7/cfg/training/yolov7-tiny.yaml',
    'yolov9/models/detect/gelan-t.yaml',
    'own/yolov5-rearrange.yaml',
    'own/yolov7-rearrange.yaml',
  ]) {
    it(`${rel}: tfjs trainable parameters equal the graph's`, () => {
      const model = read(path.join(FIXTURES, rel));
      const built = buildModel(model, { seed: 1, maxParameters: 1e9 });
      // Opaque parts (YOLOv7's ImplicitA) count in the graph but build as identities.
      const opaque = model.layers.filter((l) => l.kind === 'opaque').reduce((sum, l) => sum + Number(l.config.params ?? 0), 0);
      assert.equal(trainableCount(built.model), model.params! - offPathParams(model) - opaque);
      built.model.dispose();
    });
  }

  for (const [file, outputs] of [
    ['modules-a.yaml', [[1, 20, 64], [1, 20, 4]]],
    ['modules-b.yaml', [[1, 80, 64], [1, 80, 3], [1, 80, 16], [1, 16, 16, 16]]],
    ['modules-c.yaml', [[1, 80, 4], [1, 80, 3], [1, 80, 16], [1, 16, 16, 16], [1, 8, 8, 3]]],
    ['modules-d.yaml', [[1, 80, 64], [1, 80, 32]]],
    ['modules-e.yaml', [[1, 80, 64], [1, 80, 128], [1, 80, 16], [1, 16, 16, 16]]],
    ['modules-f.yaml', [[1, 80, 4], [1, 80, 1], [1, 80, 51], [1, 80, 34]]],
    ['modules-g.yaml', [[1, 8, 8, 7], [1, 4, 4, 7]]],
    ['../yolo/own/yolov5-rearrange.yaml', [[1, 80, 27]]],
    ['../yolo/26/yolo26-depth.yaml', [[1, 16, 16, 1]]],
    ['../yolo/own/yolov7-rearrange.yaml', [[1, 80, 27]]],
  ] as const) {
    it(`${file}: every kind runs forward with finite outputs of the head's shapes`, () => {
      const model = read(path.join(OWN, file));
      const built = buildModel(model, { seed: 1, maxParameters: 1e9 });
      // End-to-end heads keep their one-to-one copies off the graph: fewer trainable weights in tfjs.
      const onGraph = trainableCount(built.model);
      // Opaque parts (text-guided gates, contrastive heads) count in the graph but build as identities.
      if (!['modules-a.yaml', 'modules-b.yaml', 'modules-g.yaml', '../yolo/own/yolov5-rearrange.yaml', '../yolo/26/yolo26-depth.yaml'].includes(file)) assert.ok(onGraph < model.params!);
      else assert.equal(onGraph, model.params! - offPathParams(model));
      const ys = tf.tidy(() => {
        const out = built.model.predict(tf.randomUniform([1, ...model.inputShape!] as number[], 0, 1, 'float32', 3));
        return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, finite: tf.all(tf.isFinite(t)).dataSync()[0] === 1 }));
      });
      assert.deepEqual(ys.map((y) => y.shape), outputs);
      assert.ok(ys.every((y) => y.finite));
      built.model.dispose();
    });
  }
});
