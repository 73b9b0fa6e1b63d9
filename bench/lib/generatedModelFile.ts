// The generated model file the extraction and lint benches share: typical tfjs model code
// (sequential and functional builders, loops, spreads) repeated to a given length.

/** One block of typical model code: a sequential builder, a functional one, a loop. */
function block(i: number): string {
  return `
const UNITS_${i} = ${16 + (i % 5) * 16};
export function buildSequential${i}(inputDim: number, dropout = 0.2): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: UNITS_${i}, activation: 'relu', inputShape: [inputDim]}));
  for (let j = 0; j < 3; j++) {
    model.add(tf.layers.dense({
      units: UNITS_${i} * 2,
      activation: j % 2 === 0 ? 'relu' : 'tanh',
      kernelInitializer: 'heNormal',
    }));
    model.add(tf.layers.dropout({rate: dropout}));
  }
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  model.compile({optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}

export function buildFunctional${i}(): tf.LayersModel {
  const input = tf.input({shape: [28, 28, 1]});
  let x = tf.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({poolSize: 2}).apply(x) as tf.SymbolicTensor;
  const branchA = tf.layers.conv2d({filters: 16, kernelSize: 1, padding: 'same'}).apply(x) as tf.SymbolicTensor;
  const branchB = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same'}).apply(x) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate().apply([branchA, branchB]) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(merged) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({units: 64, activation: 'relu'}).apply(flat) as tf.SymbolicTensor;
  const output = tf.layers.dense({units: 10, activation: 'softmax'}).apply(hidden) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output});
}

const sizes${i} = [128, 64, 32];
export const mlp${i} = tf.sequential({
  layers: [
    tf.layers.dense({units: 256, inputShape: [784], activation: 'relu'}),
    ...sizes${i}.map((units) => tf.layers.dense({units, activation: 'relu'})),
    tf.layers.dense({units: 10, activation: 'softmax'}),
  ],
});
`;
}

/** A TypeScript model file of about `lines` lines: the blocks above, repeated with new names. */
export function generatedModelFile(lines: number): string {
  let text = "import * as tf from '@tensorflow/tfjs';\n";
  for (let i = 0; text.split('\n').length < lines; i++) text += block(i);
  return text;
}
