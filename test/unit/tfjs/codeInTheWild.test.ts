// Shapes of tfjs code found in public projects that gradlint once read wrongly or not at
// all (issue 14.3). Each test reads source text, as the editor does.
import { strict as assert } from 'assert';
import type { ModelGraph } from '../../../src/core/graph';
import { extractTfjs } from '../../../src/core/tfjs/extract';
import { lint } from '../../../src/lint/index';
import { DEFAULT_LIMITS } from '../../../src/core/tfjs/interpreter';
import { flow, kinds } from './helpers';

function read(text: string, file = 'model.ts') {
  const r = extractTfjs(file, text);
  return {
    ...r,
    text,
    model(name: string): ModelGraph {
      const m = r.models.find((x) => x.name === name);
      if (!m) throw new Error(`no model ${name}: ${r.models.map((x) => x.name).join(', ')}`);
      return m;
    },
  };
}

describe('tfjs code in the wild: where `tf` comes from', () => {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-layers', '@tensorflow/tfjs/dist/tf.min.js']) {
    it(`reads \`import { default as tf } from '${pkg}'\``, () => {
      const r = read(`import { default as tf } from '${pkg}';
export const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] })] });`);
      assert.deepEqual(kinds(r.model('model')), ['input', 'dense']);
    });
  }

  it('reads a builder that is handed `tf` by a caller in another file', () => {
    const r = read(`export function createModel(tf, hidden = 16) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: hidden, inputShape: [4], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}`, 'model.js');
    const m = r.model('createModel');
    assert.deepEqual(flow(m).slice(1).map((l) => l.config.units), [16, 1]);
  });

  it('reads `tf` kept in a class field or a constructor parameter property', () => {
    const r = read(`import * as tfjs from '@tensorflow/tfjs';
class Field {
  tf = tfjs;
  build() { return this.tf.sequential({ layers: [this.tf.layers.dense({ units: 2, inputShape: [5] })] }); }
}
class Param {
  constructor(private tf: typeof tfjs) {}
  build() { return this.tf.sequential({ layers: [this.tf.layers.dense({ units: 3, inputShape: [5] })] }); }
}
export const a = new Field().build();
export const b = new Param(tfjs).build();`);
    assert.deepEqual(r.models.map((m) => [m.name, flow(m)[1]?.config.units]), [['build', 2], ['build', 3]]);
  });
});

describe('tfjs code in the wild: models that are classes', () => {
  it('reads `class MyModel extends tf.Sequential` adding layers in its constructor', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
class MyModel extends tf.Sequential {
  hidden = 32;
  constructor(inputs: number) {
    super();
    this.add(tf.layers.dense({ units: this.hidden, inputShape: [inputs], activation: 'relu' }));
    this.add(tf.layers.dense({ units: 1 }));
  }
}
export const model = new MyModel(8);`);
    const m = r.model('MyModel');
    assert.deepEqual(kinds(m), ['input', 'dense', 'dense']);
    assert.deepEqual(m.inputShape, [8]);
    assert.equal(flow(m)[1].config.units, 32);
  });

  it('reads `class Net extends tf.LayersModel` calling super with inputs and outputs', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
class Net extends tf.LayersModel {
  constructor() {
    const input = tf.input({ shape: [10] });
    const output = tf.layers.dense({ units: 2 }).apply(input);
    super({ inputs: input, outputs: output });
  }
}
new Net();`);
    assert.deepEqual(kinds(r.model('Net')), ['input', 'dense']);
  });
});

describe('tfjs code in the wild: values', () => {
  it('uses default parameter values where no call site gives one', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
export function resnet(inputShape = [32, 32, 3], width = 64) {
  const input = tf.input({ shape: inputShape });
  const y = tf.layers.conv2d({ filters: width, kernelSize: 3 }).apply(input);
  return tf.model({ inputs: input, outputs: y });
}`);
    const m = r.model('resnet');
    assert.deepEqual(m.inputShape, [32, 32, 3]);
    assert.equal(flow(m)[1].config.filters, 64);
    assert.deepEqual(flow(m)[1].unknown, {});
  });
});

describe('tfjs code in the wild: models chosen at run time', () => {
  it('reads a model built in each branch of an if/else, each named after its branch', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
export function build(task, inputs = 8) {
  let model;
  if (task === 'classification') {
    model = tf.sequential();
    model.add(tf.layers.dense({ units: 16, inputShape: [inputs], activation: 'relu' }));
    model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  } else if (task === 'ranking') {
    model = tf.sequential();
    model.add(tf.layers.dense({ units: 5, inputShape: [inputs] }));
  } else {
    model = tf.sequential();
    model.add(tf.layers.dense({ units: 16, inputShape: [inputs], activation: 'relu' }));
    model.add(tf.layers.dense({ units: 1 }));
  }
  return model;
}`);
    assert.deepEqual(
      r.models.map((m) => [m.name, flow(m).slice(1).map((l) => l.config.units)]),
      [
        ["build (task === 'classification')", [16, 3]],
        ["build (task === 'ranking')", [5]],
        ['build (else)', [16, 1]],
      ],
    );
  });
});

describe('tfjs code in the wild: sub-models', () => {
  const parts = `import * as tf from '@tensorflow/tfjs';
function makeEncoder() {
  const x = tf.input({ shape: [32] });
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 8, activation: 'relu' }).apply(x) });
}
const encoder = makeEncoder();
const decoder = tf.sequential();
decoder.add(tf.layers.dense({ units: 32, inputShape: [8], activation: 'sigmoid' }));
`;

  it('keeps the layers of models applied to tensors inside the graph', () => {
    const r = read(`${parts}
const input = tf.input({ shape: [32] });
export const autoencoder = tf.model({ inputs: input, outputs: decoder.apply(encoder.apply(input)) });`);
    const m = r.model('autoencoder');
    assert.deepEqual(kinds(m), ['input', 'model', 'model']);
    assert.deepEqual(flow(m).slice(1).map((l) => kinds(l.model!)), [['input', 'dense'], ['input', 'dense']]);
  });

  it("gives a sequential model whose first layer is a model that model's input shape", () => {
    const r = read(`${parts}
export const stacked = tf.sequential();
stacked.add(encoder);
stacked.add(decoder);`);
    const m = r.model('stacked');
    assert.deepEqual(m.inputShape, [32]);
    assert.deepEqual(flow(m)[0].unknown, {});
  });

  it("reads a sequential model's inputs and outputs as the ends of its layers", () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
const encoder = tf.sequential();
encoder.add(tf.layers.dense({ units: 8, inputShape: [32], activation: 'relu' }));
encoder.add(tf.layers.dense({ units: 4 }));
const head = tf.layers.dense({ units: 1 }).apply(encoder.outputs[0]);
export const regressor = tf.model({ inputs: encoder.inputs, outputs: head });`);
    const m = r.model('regressor');
    assert.deepEqual(flow(m).map((l) => l.config.units ?? l.kind), ['input', 8, 4, 1]);
    assert.deepEqual(m.inputShape, [32]);
    assert.equal(m.notes, undefined, 'nothing unknown');
  });
});

describe('tfjs code in the wild: recurrent cells', () => {
  it('reads tf.layers.rnn over one cell as the recurrent layer it equals, configured in the cell', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
export const model = tf.sequential();
model.add(tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 32 }), inputShape: [10, 4], returnSequences: true }));
model.add(tf.layers.rnn({ cell: tf.layers.gruCell({ units: 8, recurrentActivation: 'sigmoid' }) }));`);
    const [input, lstm, gru] = flow(r.model('model'));
    assert.deepEqual(input.config.batchInputShape, [null, 10, 4]);
    assert.deepEqual([lstm.kind, lstm.config.units, lstm.config.returnSequences, lstm.config.unitForgetBias], ['lstm', 32, true, false]);
    assert.deepEqual([gru.kind, gru.config.units, gru.config.recurrentActivation, gru.config.returnSequences], ['gru', 8, 'sigmoid', false]);
    assert.equal(r.text.slice(lstm.configRange!.start, lstm.configRange!.end), '{ units: 32 }', 'cell settings go in the cell');
    assert.match(lstm.note!, /tf\.layers\.rnn over `lstmCell`, read as the lstm layer it equals/);
  });

  it('reads stacked cells (stackedRNNCells or an array) as one recurrent layer per cell', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
const input = tf.input({ shape: [20, 6] });
const cells = [tf.layers.lstmCell({ units: 64 }), tf.layers.simpleRNNCell({ units: 16 })];
const a = tf.layers.rnn({ cell: tf.layers.stackedRNNCells({ cells }) }).apply(input);
const b = tf.layers.rnn({ cell: [tf.layers.gruCell({ units: 4 }), tf.layers.gruCell({ units: 2 })], returnSequences: true }).apply(input);
export const model = tf.model({ inputs: input, outputs: [a, b] });`);
    const m = r.model('model');
    assert.deepEqual(
      flow(m).map((l) => [l.kind, l.config.units, l.config.returnSequences]),
      [['input', undefined, undefined], ['lstm', 64, true], ['simpleRNN', 16, false], ['gru', 4, true], ['gru', 2, true]],
    );
    assert.deepEqual(m.nodes.map((n) => n.inputs), [[], ['n0'], ['n1'], ['n0'], ['n3']]);
  });
});

describe('tfjs code in the wild: residuals behind run-time conditions', () => {
  const resnet = `import * as tf from '@tensorflow/tfjs';
function block(x, filters) {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(y);
  if (x.shape[3] === filters) {
    return tf.layers.add().apply([x, y]);
  }
  return y;
}
const input = tf.input({ shape: [32, 32, 16] });
let x = input;
for (let i = 0; i < 10; i++) x = block(x, 16);
export const model = tf.model({ inputs: input, outputs: x });`;

  it('keeps a residual add returned under a condition known only at run time, and says so', () => {
    const r = read(resnet);
    const m = r.model('model');
    assert.equal(flow(m).filter((l) => l.kind === 'add').length, 10);
    assert.deepEqual(r.problems.map((p) => [p.severity, p.message, r.text.slice(p.range.start, p.range.end)]), [
      ['info', '`x.shape[3] === filters` is not known statically: assumed true; what runs when it is false is not in the graph', 'x.shape[3] === filters'],
    ]);
  });

  it('so a residual network is not called a deep plain stack', () => {
    const ids = lint('model.js', resnet).diagnostics.map((d) => d.ruleId);
    assert.ok(!ids.includes('deep-plain-stack'), ids.join(', '));
  });
});

describe('tfjs code in the wild: unconnected layers', () => {
  it('lists layers applied to the graph that reach no output, not the other arm of an unknown condition', () => {
    const r = read(`import * as tf from '@tensorflow/tfjs';
const input = tf.input({ shape: [16] });
const skip = tf.layers.dense({ units: 8 }).apply(input);
let y = input;
if (Math.random() > 0.5) y = tf.layers.dense({ units: 8 }).apply(input);
else y = tf.layers.dense({ units: 4 }).apply(input);
export const model = tf.model({ inputs: input, outputs: y });`);
    const m = r.model('model');
    assert.deepEqual(m.unconnected?.map((l) => [l.kind, l.config.units, l.line]), [['dense', 8, 3]]);
  });
});

describe('tfjs code in the wild: builders imported from other files', () => {
  const files: Record<string, string> = {
    '/p/src/blocks.js': `import * as tf from '@tensorflow/tfjs';
export function convBlock(x, filters, depth = 2) {
  for (let i = 0; i < depth; i++) x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  return x;
}
export const demo = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });`,
    '/p/src/head/index.js': `const tf = require('@tensorflow/tfjs');
module.exports = function head(x) {
  return tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.flatten().apply(x));
};`,
  };
  const main = `import * as tf from '@tensorflow/tfjs';
import { convBlock } from './blocks';
const head = require('./head');
const input = tf.input({ shape: [28, 28, 1] });
let x = input;
for (let i = 0; i < 3; i++) x = convBlock(x, 16);
export const model = tf.model({ inputs: input, outputs: head(x) });`;
  const readFrom = (all: Record<string, string>) => (file: string): string | undefined => all[file];

  it('follows relative imports (ESM and require), placing what they build at the call here', () => {
    const r = extractTfjs('/p/src/main.js', main, DEFAULT_LIMITS, readFrom(files));
    assert.deepEqual(r.models.map((m) => m.name), ['model'], "blocks.js's own model is blocks.js's to report");
    const m = r.models[0];
    assert.deepEqual(kinds(m), ['input', 'conv2d', 'conv2d', 'conv2d', 'conv2d', 'conv2d', 'conv2d', 'flatten', 'dense']);
    const conv = flow(m)[1];
    assert.equal(main.slice(conv.range.start, conv.range.end), 'convBlock(x, 16)');
    assert.equal(conv.line, 6);
    assert.equal(conv.configRange, undefined, 'no fix edits another file');
    assert.deepEqual(r.problems, []);
  });

  it('without a way to read files, or for a file missing, says why the import is unknown', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
import { WIDTH } from './sizes';
export const model = tf.sequential({ layers: [tf.layers.dense({ units: WIDTH, inputShape: [4] })] });`;
    const units = (r: ReturnType<typeof extractTfjs>): string => flow(r.models[0])[1].unknown.units;
    assert.equal(units(extractTfjs('/p/main.js', text)), "`WIDTH` is imported from './sizes'");
    assert.equal(units(extractTfjs('/p/main.js', text, DEFAULT_LIMITS, readFrom({}))), "`WIDTH` is imported from './sizes', which could not be read");
    assert.equal(flow(extractTfjs('/p/main.js', text, DEFAULT_LIMITS, readFrom({ '/p/sizes.ts': 'export const WIDTH = 2 ** 5;' })).models[0])[1].config.units, 32);
  });

  it('stops following imports past the depth bound, saying so', () => {
    const chain: Record<string, string> = {};
    for (let i = 1; i <= 3; i++) chain[`/p/m${i}.js`] = `import { WIDTH as w } from './m${i + 1}';\nexport const WIDTH = w;`;
    chain['/p/m4.js'] = 'export const WIDTH = 3;';
    const text = `import * as tf from '@tensorflow/tfjs';
import { WIDTH } from './m1';
export const model = tf.sequential({ layers: [tf.layers.dense({ units: WIDTH, inputShape: [4] })] });`;
    const deep = extractTfjs('/p/main.js', text, DEFAULT_LIMITS, readFrom(chain));
    assert.equal(flow(deep.models[0])[1].config.units, 3, 'four files deep is within the default bound');
    const cut = extractTfjs('/p/main.js', text, { ...DEFAULT_LIMITS, maxImportDepth: 2 }, readFrom(chain));
    assert.equal(flow(cut.models[0])[1].unknown.units, "`w` is imported from './m3', which is imported more than 2 files deep and was not read");
    const big = extractTfjs('/p/main.js', text, { ...DEFAULT_LIMITS, maxImportBytes: 60 }, readFrom(chain));
    assert.equal(flow(big.models[0])[1].unknown.units, "`w` is imported from './m2', which was not read: the imported files would exceed 60 characters");
  });

  it('shows a problem in imported code at the call here, naming the file and line', () => {
    const r = extractTfjs('/p/src/main.js', `import * as tf from '@tensorflow/tfjs';
import { build } from './lib';
export const model = build(5);`, DEFAULT_LIMITS, readFrom({
      '/p/src/lib.ts': `import * as tf from '@tensorflow/tfjs';
export function build(n: number) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: n, inputShape: [2] }));
  m.add(tf.layers.notALayer({}));
  return m;
}`,
    }));
    assert.deepEqual(r.problems.map((p) => p.message), ['lib.ts line 5: `tf.layers.notALayer` is not a tfjs layer factory; it is kept as an opaque layer']);
    assert.equal(r.problems[0].range.start, r.models[0].range.start);
  });
});
