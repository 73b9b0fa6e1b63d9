import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../src/core/extract';
import { measureModel } from '../../src/probe/measure';
import type { ProbeOptions } from '../../src/probe/types';

// The probe's limits are checked on the graph before anything is built, and each refusal
// names its limit, setting and flag (test/fixtures/hostile, issue 17).

const DIR = path.join(__dirname, '../fixtures/hostile');
const options: ProbeOptions = { steps: 1, seed: 0, learningRate: 0.01, backend: 'cpu' };

async function probeError(file: string, text: string, probeOptions = options): Promise<string> {
  const { models } = extractModels(file, text);
  assert.strictEqual(models.length, 1);
  try {
    await measureModel(models[0], probeOptions, undefined, undefined, text);
  } catch (err) {
    return (err as Error).message;
  }
  return assert.fail('the probe ran');
}

describe('probe limits, before building', function () {
  this.timeout(60_000);

  it('a Sequential inside a functional model with 1.6e9 parameters: refused by --max-parameters', async () => {
    // nested-sequential.json, as tfjs 4 saved it, widened: the submodel's dense layers get 40,000 units.
    const text = fs.readFileSync(path.join(DIR, 'nested-sequential.json'), 'utf8').replace(/"units": 8/g, '"units": 40000').replace(/\[\s*null,\s*8\s*\]/g, '[null, 40000]');
    assert.strictEqual(
      await probeError('nested-sequential-big.json', text),
      "the model has at least 4.80e+9 parameters, more than the probe's cap of 1e+8 (setting gradlint.probe.maxParameters, flag --max-parameters)",
    );
  });

  it('10,000 layers: refused by --max-layers (tfjs overflowed its stack)', async () => {
    const layers = Array.from({ length: 10_000 }, (_, i) => ({
      class_name: 'Dense',
      config: { units: 2, name: `d${i}`, ...(i === 0 ? { batch_input_shape: [null, 2] } : {}) },
    }));
    const text = JSON.stringify({ format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { name: 'deep', layers } } });
    assert.strictEqual(
      await probeError('deep.json', text),
      "the model has 10001 layers, more than the probe's cap of 4000 (setting gradlint.probe.maxLayers, flag --max-layers)",
    );
  });

  it('no trainable weights: says so, instead of tfjs variableGrads() message', async () => {
    const text = fs.readFileSync(path.join(DIR, 'no-weights.json'), 'utf8');
    assert.strictEqual(await probeError('no-weights.json', text), 'no-weights.json: the model has no trainable weights, so there is no gradient to measure');
  });
});
