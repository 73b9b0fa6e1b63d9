import * as assert from 'assert';
import { measureModel } from '../../src/probe/measure';
import type { ProbeFileOptions, ProbeProgress } from '../../src/probe/protocol';
import { ProbeRunError, runProbe, runProbeOnGraphs } from '../../src/probe/run';
import { repeat, sequential } from './graphs';

// The real worker process (src/probe/worker.ts through tsx, as the bundle is not built here).

const options: ProbeFileOptions = { steps: 1, seed: 0, learningRate: 0.01, backend: 'cpu' };
const small = sequential('small', [8], [{ kind: 'dense', config: { units: 8, activation: 'relu' } }, { kind: 'dense', config: { units: 2 } }]);
/** Seconds per step on cpu: slow enough to interrupt. */
const slow = sequential('slow', [512], repeat(12, { kind: 'dense', config: { units: 512, activation: 'relu' } }));
/** A timeout 1000 steps of `slow` fit in (the probe refuses, before the first step, steps it cannot finish in time). */
const LONG_ENOUGH_MS = 3_600_000;

async function rejection(promise: Promise<unknown>): Promise<ProbeRunError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProbeRunError, String(err));
    return err;
  }
  assert.fail('the probe should have failed');
}

describe('probe worker (runProbe)', function () {
  this.timeout(30_000);

  it('returns what measuring in-process returns, with progress and the backend', async () => {
    const progress: ProbeProgress[] = [];
    let backend = '';
    const result = await runProbeOnGraphs('m.js', [small], { ...options, steps: 2 }, {
      onProgress: (p) => progress.push(p),
      onBackend: (b) => (backend = b),
    });
    assert.strictEqual(backend, 'cpu');
    assert.deepStrictEqual(progress.map((p) => [p.model, p.step, p.steps]), [['small', 0, 2], ['small', 1, 2], ['small', 2, 2]]);
    assert.deepStrictEqual(result, { file: 'm.js', models: [await measureModel(small, { ...options, steps: 2 })] });
  });

  it('passes on how the model was built where the graph left things open', async () => {
    const graph = sequential('open', [null, 4], [{ kind: 'dense', unknown: { units: 'the value of a parameter' } }]);
    let notes: string[] = [];
    await runProbeOnGraphs('m.js', [graph], options, { onNotes: (n) => (notes = n) });
    assert.deepStrictEqual(notes, ['dense_l1: units is unknown (the value of a parameter); the probe uses 16']);
  });

  it('probes a model whose input shapes are set at run time, in the rank each input feeds, and says so', async () => {
    // As tfjs-examples' translation.ts: sizes come from command-line arguments.
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'export function decoder(latentDim: number, tokens: number) {',
      "  const inputs = tf.input({ shape: [null, tokens], name: 'tokens' });",
      "  const h = tf.input({ shape: [latentDim], name: 'stateH' });",
      "  const c = tf.input({ shape: [latentDim], name: 'stateC' });",
      '  const lstm = tf.layers.lstm({ units: latentDim, returnSequences: true });',
      '  const seq = lstm.apply(inputs, { initialState: [h, c] }) as tf.SymbolicTensor;',
      "  const out = tf.layers.dense({ units: tokens, activation: 'softmax' }).apply(seq) as tf.SymbolicTensor;",
      '  return tf.model({ inputs: [inputs, h, c], outputs: out });',
      '}',
      '',
    ].join('\n');
    let notes: string[] = [];
    const result = await runProbe('decoder.ts', text, options, { onNotes: (n) => (notes = n) });
    assert.deepStrictEqual(result.models[0].layers.map((l) => l.gradientRms?.length), [1, 1]);
    for (const [input, shape] of [['tokens', '[16, 16]'], ['stateH', '[16]'], ['stateC', '[16]']]) {
      assert.ok(notes.some((n) => n.includes(`the shape of input ${input} is not known statically; the probe uses ${shape}`)), `${input}: ${notes.join(' | ')}`);
    }
  });

  it('stops when cancelled, killing the worker', async () => {
    const controller = new AbortController();
    let exited: (signal: NodeJS.Signals | null) => void = () => undefined;
    const exit = new Promise<NodeJS.Signals | null>((resolve) => (exited = resolve));
    const error = await rejection(
      runProbeOnGraphs('slow.js', [slow], { ...options, steps: 1000 }, {
        // Time enough for the 1000 steps (else the time check refuses them before the first).
        timeoutMs: LONG_ENOUGH_MS,
        signal: controller.signal,
        onExit: (_code, signal) => exited(signal),
        onProgress: (p) => p.step >= 1 && controller.abort(),
      }),
    );
    assert.strictEqual(error.reason, 'cancelled');
    assert.strictEqual(error.message, 'the probe was cancelled');
    // Killed in the middle of its 1000 steps, not left to finish them.
    assert.strictEqual(await exit, 'SIGKILL');
  });

  it('stops at the timeout with a message saying so', async () => {
    // 4 steps of 32 samples pass the time check (1.2 s at the cpu backend's assumed peak, about
    // ten times what it really reaches), so the run is under way when the 1.5 s timeout stops it.
    const error = await rejection(runProbeOnGraphs('slow.js', [slow], { ...options, steps: 4, batch: 32 }, { timeoutMs: 1500 }));
    assert.strictEqual(error.reason, 'timeout');
    assert.match(error.message, /^the probe took longer than 1\.5 s and was stopped/);
  });

  it('says so when the worker is killed', async () => {
    let pid = 0;
    const error = await rejection(
      runProbeOnGraphs('m.js', [slow], { ...options, steps: 1000 }, {
        timeoutMs: LONG_ENOUGH_MS,
        onStart: (p) => (pid = p),
        onProgress: (p) => p.step === 1 && process.kill(pid, 'SIGKILL'),
      }),
    );
    assert.strictEqual(error.reason, 'crashed');
    assert.strictEqual(error.message, 'the probe worker was killed (SIGKILL) before it finished');
  });

  it('says so when the worker runs out of memory', async () => {
    const error = await rejection(runProbeOnGraphs('m.js', [small], options, { maxOldSpaceMb: 8 }));
    assert.strictEqual(error.reason, 'crashed');
    assert.strictEqual(error.message, 'the probe worker ran out of memory (limit 8 MB; setting gradlint.probe.maxMemoryMb)');
  });

  it('passes on what the probe could not do', async () => {
    const custom = sequential('custom', [4], [{ kind: 'opaque' }]);
    const error = await rejection(runProbeOnGraphs('m.js', [custom], options));
    assert.strictEqual(error.reason, 'failed');
    assert.match(error.message, /layer opaque_l1 \(opaque, line 2\): the probe cannot build layers of kind 'opaque'/);
  });

  it('reads the file with the front ends and says when it holds no model', async () => {
    const error = await rejection(runProbe('empty.js', 'const x = 1;\n', options));
    assert.strictEqual(error.message, 'no model found in empty.js');
  });
});
