// Model sources the rule tests share, and where a piece of text sits in them.

/** 1-based line and column of the `nth` occurrence of `needle`, plus the text itself. */
export function at(code: string, needle: string, nth = 0): { line: number; column: number; text: string } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = code.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" (#${nth}) is not in the code`);
  }
  const before = code.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1, text: needle };
}

/** `tf.sequential({layers: [...]})` with one layer per line; the first gets the input shape. */
export function sequential(layers: string[], inputShape = '[64]'): string {
  const [first, ...rest] = layers;
  const withShape = first.replace(/\}\)$/, `, inputShape: ${inputShape}})`).replace(/\(\{, /, '({');
  return [
    "import * as tf from '@tensorflow/tfjs';",
    '',
    'export const model = tf.sequential({',
    '  layers: [',
    ...[withShape, ...rest].map((l) => `    ${l},`),
    '  ],',
    '});',
    '',
  ].join('\n');
}

export const repeat = (n: number, layer: string): string[] => Array.from({ length: n }, () => layer);

export const dense = (units: number, extra = ''): string => `tf.layers.dense({units: ${units}${extra ? `, ${extra}` : ''}})`;

/** conv → batchNormalization → relu, then `blocks` more of them, global pooling and a dense head. */
export function bnConvNet(blocks: number): string {
  return [
    "import * as tf from '@tensorflow/tfjs';",
    'const model = tf.sequential();',
    "model.add(tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', inputShape: [32, 32, 3]}));",
    'model.add(tf.layers.batchNormalization());',
    "model.add(tf.layers.activation({activation: 'relu'}));",
    ...Array.from({ length: blocks }, () => [
      "model.add(tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same'}));",
      'model.add(tf.layers.batchNormalization());',
      "model.add(tf.layers.activation({activation: 'relu'}));",
    ]).flat(),
    'model.add(tf.layers.globalAveragePooling2d({}));',
    'model.add(tf.layers.dense({units: 10}));',
    '',
  ].join('\n');
}
