// The gradient through time of a model's recurrent layers, measured with tfjs: what the probe's
// per-layer kernel gradients do not see (a simpleRNN's kernel gradient sums over every step, so
// it stays large while the gradient from the last step dies long before the first). For each
// recurrent layer (a bidirectional one: its forward direction), its input sequence from a
// forward pass of random data, then the gradient of its last step's output (projected on a
// random direction) with respect to that sequence: log10 of its RMS at the first step over
// the last. A model's figures are the smallest over its plain (simpleRNN) and over its gated
// (LSTM, GRU) layers, null without such a layer.
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../../src/core/graph';
import { buildModel, type ModelInput } from '../../src/probe/build';

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

export interface ThroughTime {
  plain: number | null;
  gated: number | null;
}
const BATCH = 16;

function randomInput(input: ModelInput, seed: number): tf.Tensor {
  const shape = [BATCH, ...input.shape];
  if (input.dtype === 'int32') return tf.randomUniform(shape, 0, input.range ?? 1, 'int32', seed);
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** log10 RMS(∂(r·h_last)/∂x_0) / RMS(∂(r·h_last)/∂x_last) of one recurrent layer on its input sequence. */
function oneLayer(layer: tf.layers.Layer, sequence: tf.Tensor, seed: number): number {
  return tf.tidy(() => {
    const steps = sequence.shape[1] ?? 1;
    const lastOutput = (x: tf.Tensor): tf.Tensor => {
      // call, not apply: a bidirectional layer's directions hold their weights but are not marked built.
      const out = layer.call(x, { training: true }) as tf.Tensor;
      return out.rank === 3 ? out.slice([0, steps - 1, 0], [-1, 1, -1]).squeeze([1]) : out;
    };
    const direction = tf.randomNormal(lastOutput(sequence).shape, 0, 1, 'float32', seed);
    const g = tf.grad((x: tf.Tensor) => lastOutput(x).mul(direction).sum() as tf.Scalar)(sequence);
    const rmsAt = (t: number): number => Math.sqrt(g.slice([0, t, 0], [-1, 1, -1]).square().mean().dataSync()[0]);
    return Math.log10(rmsAt(0) / rmsAt(steps - 1));
  });
}

/** The smallest through-time figures (log10) over the model's plain and gated recurrent layers. */
export function throughTimeLog10(graph: ModelGraph, seed: number): ThroughTime {
  const built = buildModel(graph, { seed, maxParameters: 1e8 });
  try {
    const recurrent = built.model.layers
      .map((l) => ({ outer: l, cell: l.getClassName() === 'Bidirectional' ? (l as unknown as { forwardLayer: tf.layers.Layer }).forwardLayer : l }))
      .filter(({ cell }) => RECURRENT.has(cell.getClassName()));
    if (!recurrent.length) return { plain: null, gated: null };
    const inputs = built.inputs.map((input, i) => randomInput(input, seed * 7 + i));
    try {
      const figures = recurrent.map(({ outer, cell }, k) => {
        const sequence = tf.tidy(() => tf.model({ inputs: built.model.inputs, outputs: outer.input as tf.SymbolicTensor }).apply(inputs, { training: true }) as tf.Tensor);
        try {
          return { plain: cell.getClassName() === 'SimpleRNN', log10: oneLayer(cell, sequence, seed * 13 + k) };
        } finally {
          sequence.dispose();
        }
      });
      const least = (plain: boolean): number | null => {
        const xs = figures.filter((f) => f.plain === plain).map((f) => f.log10);
        return xs.length ? Math.min(...xs) : null;
      };
      return { plain: least(true), gated: least(false) };
    } finally {
      tf.dispose(inputs);
    }
  } finally {
    built.model.dispose();
  }
}
