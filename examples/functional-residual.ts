// A small residual network on the functional API: each block is
// dense (heNormal, feeding relu) → batchNormalization → relu → dense (linear, so tfjs's
// default glorotNormal fits), added back onto its input.
// The skips give the gradient a path around every block.
import * as tf from '@tensorflow/tfjs';

const WIDTH = 64;
const BLOCKS = 4;

function residualBlock(x: tf.SymbolicTensor, index: number): tf.SymbolicTensor {
  let h = tf.layers.dense({ units: WIDTH, kernelInitializer: 'heNormal', name: `block${index}_dense_a` }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ name: `block${index}_bn` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: WIDTH, name: `block${index}_dense_b` }).apply(h) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
}

export function buildResidualNet(): tf.LayersModel {
  const input = tf.input({ shape: [WIDTH] });
  let x = input;
  for (let i = 0; i < BLOCKS; i++) x = residualBlock(x, i);
  const output = tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}
