import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../src/core/extract';
import type { ModelGraph } from '../../src/core/graph';
import { measureModel } from '../../src/probe/measure';
import { runProbe } from '../../src/probe/run';
import type { ProbeModelResult } from '../../src/core/gradientResult';
import type { ProbeOptions } from '../../src/probe/types';

// model.json models are loaded by tfjs from the file's own topology (not rebuilt from the graph).

const root = path.join(__dirname, '../..');
const options: ProbeOptions = { steps: 2, seed: 0, learningRate: 0.01, backend: 'cpu' };

function read(file: string): { text: string; graph: ModelGraph } {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const { models } = extractModels(file, text, {});
  assert.strictEqual(models.length, 1, `${file} has one model`);
  return { text, graph: models[0] };
}

async function probe(file: string, probeOptions = options): Promise<{ result: ProbeModelResult; notes: string[]; graph: ModelGraph }> {
  const { text, graph } = read(file);
  const notes: string[] = [];
  const result = await measureModel(graph, probeOptions, undefined, (n) => notes.push(n), text);
  return { result, notes, graph };
}

const LOADED_BY_TFJS = 'loaded by tfjs from the model.json topology with its own initialisers (seeded); weights files (weightsManifest) are not read';
const gradients = (r: ProbeModelResult) => r.layers.map((l) => l.gradientRms);

describe('probe of model.json files: loaded by tfjs', function () {
  this.timeout(60_000);

  for (const file of ['test/fixtures/modeljson/sequential-keras.json', 'examples/mnist-model.json', 'test/fixtures/modeljson/functional-shared.json']) {
    it(`${path.basename(file)}: one result per graph layer, with the graph's names, kinds and lines`, async () => {
      const { result, notes, graph } = await probe(file);
      assert.deepStrictEqual(notes, [LOADED_BY_TFJS]);
      const expected = graph.layers.filter((l) => l.kind !== 'input').map((l) => [l.name, l.kind, l.line, null]);
      assert.deepStrictEqual(result.layers.map((l) => [l.name, l.kind, l.line, l.row]), expected);
      for (const layer of result.layers) {
        assert.strictEqual(layer.activationRms.length, 2, layer.name);
        assert.ok(layer.activationRms.every((v) => v > 0), `${layer.name} has activations`);
      }
      assert.ok(result.layers.some((l) => l.gradientRms?.every((v) => v > 0)), 'weighted layers have gradients');
    });
  }

  it('names unnamed Sequential layers as the graph does (camelCase file, initialiser written as a name)', async () => {
    const { result } = await probe('test/fixtures/modeljson/camelcase.json');
    assert.deepStrictEqual(result.layers.map((l) => l.name), ['conv2d_1', 'maxPooling2d_1', 'flatten_1', 'dense_1']);
  });

  it('gives the same numbers for the same seed and different ones for another seed', async () => {
    for (const file of ['test/fixtures/modeljson/sequential-keras.json', 'test/fixtures/modeljson/camelcase.json']) {
      const first = (await probe(file)).result;
      const again = (await probe(file)).result;
      const other = (await probe(file, { ...options, seed: 1 })).result;
      assert.deepStrictEqual(again, first, file);
      assert.notDeepStrictEqual(gradients(other), gradients(first), file);
    }
  });

  it('gives exactly the graph-built numbers where both draw the same seeds in the same order (dense, rnn, shared layers)', async () => {
    for (const file of ['test/fixtures/modeljson/sequential-keras.json', 'test/fixtures/modeljson/functional-shared.json', 'test/fixtures/modeljson/legacy-list.json']) {
      const { result, graph } = await probe(file, { ...options, seed: 3 });
      assert.deepStrictEqual(result, await measureModel(graph, { ...options, seed: 3 }), file);
    }
  });

  it('agrees with the graph-built model of the same topology within seed noise (conv net: 0.3 decades, mean over seeds)', async () => {
    const file = 'examples/mnist-model.json';
    const { graph } = read(file);
    const seeds = [0, 1, 2];
    const meanLog10 = (results: ProbeModelResult[], i: number) =>
      results.reduce((sum, r) => sum + Math.log10(r.layers[i].gradientRms![0]), 0) / results.length;
    const oneStep = { ...options, steps: 1 };
    const loaded = await Promise.all(seeds.map(async (seed) => (await probe(file, { ...oneStep, seed })).result));
    const built = await Promise.all(seeds.map((seed) => measureModel(graph, { ...oneStep, seed })));
    assert.deepStrictEqual(loaded[0].layers.map((l) => l.name), built[0].layers.map((l) => l.name));
    loaded[0].layers.forEach((layer, i) => {
      if (layer.gradientRms === null) return assert.strictEqual(built[0].layers[i].gradientRms, null, layer.name);
      const difference = Math.abs(meanLog10(loaded, i) - meanLog10(built, i));
      assert.ok(difference <= 0.3, `${layer.name}: loaded and graph-built differ by ${difference.toFixed(2)} decades`);
    });
  });

  it('refuses a 10^9-parameter model.json before tfjs allocates it', async () => {
    const text = JSON.stringify({
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'huge', layers: [{ class_name: 'Dense', config: { name: 'wide', units: 10000, batch_input_shape: [null, 100000] } }] },
      },
    });
    const { models } = extractModels('huge/model.json', text, {});
    await assert.rejects(measureModel(models[0], options, undefined, undefined, text), /at least 1\.00e\+9 parameters, more than the probe's cap of 1e\+8/);
  });

  it('refuses a custom layer class with a message naming it', async () => {
    const { text, graph } = read('test/fixtures/modeljson/nested.json');
    await assert.rejects(measureModel(graph, options, undefined, undefined, text), /layer attention \(line 21\): the probe cannot load it \('MyAttention' is not a tfjs layer class/);
  });

  it('builds a file tfjs cannot load (Keras 3) from the graph, saying so', async () => {
    const { result, notes } = await probe('test/fixtures/modeljson/keras3-functional.json');
    assert.strictEqual(notes.length, 1);
    assert.match(notes[0], /^tfjs could not load the model\.json model \(.*batchInputShape.*\); built from gradlint's reading of the file instead$/);
    assert.deepStrictEqual(result.layers.map((l) => l.name), ['dense', 'add']);
  });

  it('loads through the worker from the file text, passing the note on', async () => {
    const file = path.join(root, 'examples/mnist-model.json');
    let notes: string[] = [];
    const result = await runProbe(file, fs.readFileSync(file, 'utf8'), { ...options, steps: 1 }, { onNotes: (n) => (notes = n) });
    assert.ok(notes.includes(LOADED_BY_TFJS), notes.join('\n'));
    assert.deepStrictEqual(result.models[0].layers.map((l) => l.name)[0], 'conv2d_Conv2D1');
  });
});
