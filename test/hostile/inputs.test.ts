// Each file of test/fixtures/hostile (see its SOURCE.md) once hung, exhausted memory or
// dropped the whole file with an internal error. Here each must finish within the sandbox's
// time and memory and show the user what gradlint made of it.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Sandbox, type Outcome } from '../fuzz/sandbox';
import type { Analysis } from '../fuzz/analyse';

const DIR = path.join(__dirname, '../fixtures/hostile');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

/** Generous: each of these takes well under a second once fixed; before, they never ended. */
const sandbox = new Sandbox({ timeoutMs: 30_000, memoryMb: 512 });

async function analysed(name: string, text = read(name), budget?: number): Promise<Analysis> {
  const outcome: Outcome = await sandbox.run(name, text, budget);
  assert.equal(outcome.kind, 'ok', `${name}: ${JSON.stringify(outcome)}`);
  return (outcome as Extract<Outcome, { kind: 'ok' }>).analysis;
}

const messages = (a: Analysis): string[] => a.diagnostics.map((d) => d.message);
const codes = (a: Analysis): (string | undefined)[] => a.diagnostics.map((d) => d.code);

describe('hostile inputs', () => {
  after(() => sandbox.close());

  it('units: 0 in a relu stack: narrow-deep-relu finishes (its widening search doubled 0 forever)', async () => {
    const a = await analysed('units-zero-relu.js');
    assert.ok(a.diagnostics.some((d) => d.ruleId === 'narrow-deep-relu'), messages(a).join('\n'));
  });

  it('a conv over 1e17 positions: reported at the argument and clamped to 2^31', async () => {
    const a = await analysed('conv-1e17-positions.js');
    const size = a.diagnostics.find((d) => d.code === 'implausible-size');
    assert.ok(size, messages(a).join('\n'));
    assert.match(size.message, /inputShape of conv1d_1 is larger than any real model uses \(over 2\^31\); analysed as 2147483648/);
    assert.equal(size.start, read('conv-1e17-positions.js').indexOf('[1e17, 3]'));
  });

  it('kernelSize 1e9: estimated without an array of kernel length', async () => {
    const a = await analysed('kernel-1e9.js');
    assert.equal(a.models, 1);
    assert.match(a.printed, /conv1d_1\s+conv1d\s+4/);
  });

  it('54 stride-2 Conv rows, repeats 60, Detect repeats 16: the stride is reported and the input clamped', async () => {
    const a = await analysed('yolo-stride-repeats.yaml');
    assert.ok(messages(a).some((m) => /The total stride reaches 18014398509481984, far beyond any real model \(64\); analysed with a 2048-pixel input/.test(m)), messages(a).join('\n'));
    assert.match(a.printed, /input \[2048, 2048, 3\]/);
  });

  it("a YAML's project classes with endless recursion, a billion-layer loop and a self-import: bounded, said with their place", async () => {
    const file = path.join(DIR, 'yolo-project/models/hostile-classes.yaml');
    const a = await analysed(file, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(messages(a), [
      '2 of 4 rows unknown (Recursive, Looping): the estimate treats them as identity. Recursive is a class of the project (common.py:8) ' +
        'that gradlint could not read into layers. Looping is a class of the project (common.py:14) that gradlint could not read into layers.',
    ]);
  });

  it('1,000 plain Conv rows: linted (the shortcut findings re-parsed the file per row)', async () => {
    const rows = Array.from({ length: 1000 }, () => '  - [-1, 1, Conv, [16, 3, 1]]\n').join('');
    const text = `nc: 80\nscales:\n  n: [0.50, 0.25, 1024]\nbackbone:\n${rows}head:\n  - [-1, 1, Conv, [16, 1, 1]]\n`;
    const a = await analysed('plain-rows.yaml', text);
    assert.ok(messages(a).some((m) => /^1001 weighted layers on one path without a skip connection/.test(m)), messages(a).join('\n'));
  });

  it('2,000 RepNCSPELAN4 rows (a fuzzed gelan-t.yaml: 190,000 layers, 40 s and 1.4 GB): built up to 10,000 layers, said once', async () => {
    for (const repeats of [1, 32]) {
      const rows = Array.from({ length: 2000 }, () => `  - [-1, ${repeats}, RepNCSPELAN4, [64, 64, 32, 3]]\n`).join('');
      const text = `nc: 80\nanchors: 3\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2]]\n${rows}head:\n  - [-1, 1, DDetect, [nc]]\n`;
      const a = await analysed('gelan-t.yaml', text);
      const limit = messages(a).filter((m) => /the model has more than 10000 inner layers, far beyond any real model/.test(m));
      assert.equal(limit.length, 1, messages(a).join('\n'));
    }
  });

  it('an RNN over 1e308 steps, in code and in model.json: clamped, unrolled over at most 100,000 steps', async () => {
    for (const name of ['rnn-1e308-steps.js', 'rnn-1e308-steps.json']) {
      const a = await analysed(name);
      assert.ok(codes(a).includes('implausible-size'), `${name}: ${messages(a).join('\n')}`);
      assert.ok(messages(a).some((m) => /runs over 2147483648 time steps/.test(m)), `${name}: ${messages(a).join('\n')}`);
      assert.match(a.printed, /a sequence of 2147483648 steps is estimated over its last 100000/);
    }
  });

  it('a string and an array doubled in a loop (+, concat, push(...xs)): the file is still read (they become unknown)', async () => {
    for (const name of ['string-doubling.js', 'array-doubling.js', 'push-spread-doubling.js']) {
      const a = await analysed(name);
      assert.equal(a.models, 1, `${name}: ${messages(a).join('\n')}`);
      assert.ok(a.diagnostics.some((d) => d.ruleId === 'constant-initializer'), `${name}: ${messages(a).join('\n')}`);
    }
  });

  it('arrays grown by spreading in a loop of 100,000 (fuzz seed 1): stopped by the budget, not 4 GB of journalled copies', async () => {
    const grow = 'const xs = [1]; for (let i = 0; i < 100; i++) xs.push(...xs);\n'.repeat(13);
    const text = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nfor (let i = 0; i < 100000; i++) {\n${grow}}\n`;
    const a = await analysed('loop-huge.js', text);
    assert.ok(codes(a).includes('analysis-stopped'), messages(a).join('\n'));
  });

  it('3,000 functions of one name waiting to run (a fuzz seed 1 mutant had 2,000): the model is read (the search for their callers was cubic: 2,000 took 28 s)', async () => {
    const text = fs.readFileSync(path.join(__dirname, '../fixtures/tfjs/generic-component.tsx'), 'utf8').replace(/^const identity.*\n/m, (line) => line.repeat(3000));
    const a = await analysed('generic-component.tsx', text);
    assert.equal(a.models, 1, messages(a).join('\n'));
  });

  it('60,000 numbers in a layers list: read (a message snippet per element re-read the whole list: quadratic)', async () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [${'1,'.repeat(60_000)} tf.layers.dense({units: 4, inputShape: [2]})]});\n`;
    const a = await analysed('long-list.js', text);
    assert.equal(a.models, 1, messages(a).join('\n'));
  });

  it('a 100,000-character module name among 2,000 rows: its table cell overflows one line, not padding all 2,000 (was 500 MB of text)', async () => {
    const rows = Array.from({ length: 2000 }, () => '  - [-1, 1, Conv, [16, 3, 1]]');
    const text = `nc: 10\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2]]\n  - [-1, 1, ${'x'.repeat(100_000)}, [1]]\n${rows.join('\n')}\nhead:\n  - [-1, 1, Classify, [nc]]\n`;
    const a = await analysed('long-module-name.yaml', text);
    assert.equal(a.models, 1);
    // The name is printed in full where it stands (graph and estimate), a few times; padding every line to it was 200 MB a table.
    assert.ok(a.printed.length < 5_000_000, `${a.printed.length} characters printed`);
  });

  it('CBLinear with a scalar argument: a problem at the row, not a TypeError', async () => {
    const a = await analysed('cblinear-scalar.yaml');
    assert.deepEqual(messages(a), ['Row 1: CBLinear needs a list of output channels as its first argument (e.g. [64, 128]).']);
  });

  it('CBFuse indices: a fraction is a problem at the row, a negative index counts from the end (as in Python), no TypeError', async () => {
    const a = await analysed('cbfuse-index.yaml');
    assert.deepEqual(messages(a), ['Row 3: index 1e-320 is not one of the 2 outputs of row 1.']);
    assert.equal(a.models, 1);
  });

  it("activations named after Object.prototype keys ('constructor', 'toString', '__proto__'): estimated", async () => {
    const a = await analysed('activation-prototype-keys.js');
    assert.equal(a.models, 1);
    assert.deepEqual(codes(a).filter((c) => c === 'internal-error'), []);
    assert.match(a.printed, /dense_3\s+dense/);
  });

  it("Python names and Keras activations named after Object.prototype keys: the file's three models read", async () => {
    const a = await analysed('python-prototype-names.py');
    assert.equal(a.models, 3);
    assert.deepEqual(codes(a).filter((c) => c === 'internal-error'), []);
  });

  it('an unused key nested 6,000 deep in model.json: cut and reported, the model is read', async () => {
    const a = await analysed('deep-unused-key.json');
    assert.equal(a.models, 1);
    assert.ok(messages(a).includes('This value nests deeper than 256 levels, which no model config does; it is read as 0.'), messages(a).join('\n'));
  });

  it('a model.json written by tfjs 4 with a Sequential inside a functional model: no false error or warning', async () => {
    const a = await analysed('nested-sequential.json');
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'), []);
    assert.match(a.printed, /sequential_1 \(line \d+\): 3 layers/);
  });

  it('YAML aliases resolve as PyYAML resolves them (*args, a whole *row)', async () => {
    const a = await analysed('yaml-aliases.yaml');
    assert.deepEqual(messages(a), []);
    assert.match(a.printed, /\n\s+1\s+\[0\]\s+1\s+Conv\s+\[8, 8, 3, 2\]/);
    assert.match(a.printed, /\n\s+3\s+\[2\]\s+1\s+Conv\s+\[8, 8, 3, 2\]/);
  });

  it('layer names with ESC and BEL are printed as escapes', async () => {
    const a = await analysed('escape-names.js');
    assert.ok(!/[\u0007\u001b]/.test(a.printed));
    assert.match(a.printed, /evil\\x1b\[31mred\\x07/);
  });

  it('Python: a string and lists doubled or multiplied in loops: the model is read (V8 aborted on an array too long)', async () => {
    const a = await analysed('python-growth.py');
    assert.equal(a.models, 1, messages(a).join('\n'));
    assert.deepEqual(codes(a).filter((c) => c === 'internal-error'), []);
    assert.match(a.printed, /fc\s+dense/);
  });

  it('Python: a format width of 1e9, a precision of 1,000, strings doubled by %, f-strings and format(): the model is read', async () => {
    const a = await analysed('python-format-growth.py');
    assert.deepEqual(codes(a).filter((c) => c === 'internal-error'), [], messages(a).join('\n'));
    assert.equal(a.models, 1);
  });

  it('Python: adaptive pooling to 2^31 - 1 (a prime): the image-size search is bounded', async () => {
    const a = await analysed('python-adaptive-prime.py');
    assert.equal(a.models, 1, messages(a).join('\n'));
    assert.match(a.printed, /pool\s+globalAveragePooling2d/);
  });

  it('Python: an LSTM of 1e9 stacked layers is analysed as 64, within the budget', async () => {
    const a = await analysed('python-lstm-1e9-layers.py');
    assert.deepEqual(codes(a).filter((c) => c === 'analysis-stopped'), [], messages(a).join('\n'));
    assert.match(a.printed, /rnn\.l63\.bidirectional/);
    assert.doesNotMatch(a.printed, /rnn\.l64/);
  });

  it('Python: an LSTM of 0 stacked layers (found by npm run fuzz -- --seed 11) is read as one, not an internal error', async () => {
    const text = read('python-lstm-1e9-layers.py').replace('10**9', '0');
    const a = await analysed('lstm-0-layers.py', text);
    assert.deepEqual(codes(a).filter((c) => c === 'internal-error'), [], messages(a).join('\n'));
    assert.equal(a.models, 1);
    assert.match(a.printed, /rnn\.bidirectional\s+bidirectional/);
  });

  it('Python: 20,000 nested brackets are the syntax error Python itself reports (the parser took seconds)', async () => {
    const text = `import torch.nn as nn\nfc = nn.Linear(4, 4)\ny = ${'('.repeat(20_000)}1${')'.repeat(20_000)}\n`;
    const a = await analysed('deep-brackets.py', text);
    assert.deepEqual(messages(a), ["Syntax error: brackets nested more than 200 deep, which Python refuses to parse; the file's models are not read"]);
    assert.equal(a.diagnostics[0].start, text.indexOf('((') + 200);
  });

  it('Python: a loop of 4,096 Linear layers is read up to 1,024, with a warning at the loop', async () => {
    const text = 'import torch.nn as nn\n\n\nclass Long(nn.Module):\n    def __init__(self):\n        super().__init__()\n        layers = []\n        for i in range(4096):\n            layers.append(nn.Linear(8, 8))\n        self.body = nn.Sequential(*layers)\n\n    def forward(self, x):\n        return self.body(x)\n';
    const a = await analysed('long-loop.py', text);
    const cut = a.diagnostics.filter((d) => d.message === 'This loop creates more than 1024 layers; only the first 1024 iterations were read');
    assert.equal(cut.length, 1, messages(a).join('\n'));
    assert.equal(cut[0].start, text.indexOf('for i'));
    assert.match(a.printed, /body\.1023\s/);
    assert.doesNotMatch(a.printed, /body\.1024\s/);
  });

  it('Python: a forward line repeated 1,100 times (11,000 layer applications) stops at 10,000, with a warning at the model', async () => {
    const text = `import torch.nn as nn\n\n\nclass Repeated(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = nn.Sequential(*[nn.Linear(8, 8) for _ in range(10)])\n\n    def forward(self, x):\n${'        x = self.body(x)\n'.repeat(1100)}        return x\n`;
    const a = await analysed('repeated-forward.py', text);
    assert.ok(messages(a).includes('Repeated: the forward pass applies more than 10000 layers, far beyond any real model; the layers after that are not analysed'), messages(a).join('\n'));
    assert.equal(a.models, 1);
  });

  it('Python: a forward of 10,000 shapeless activations: the input shape search is linear (it rescanned every node per level)', async () => {
    const text = `import torch.nn as nn\n\n\nclass Acts(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.act = nn.ReLU()\n\n    def forward(self, x):\n${'        x = self.act(x)\n'.repeat(10_000)}        return x\n`;
    const a = await analysed('activations.py', text);
    assert.equal(a.models, 1, messages(a).join('\n'));
  });

  it('Python: evaluating loops spends the analysis budget', async () => {
    const a = await analysed('python-loops.py', undefined, 100_000);
    assert.equal(codes(a).filter((c) => c === 'analysis-stopped').length, 1, messages(a).join('\n'));
  });

  it('a spent analysis budget gives one notice naming the setting, and nothing hangs', async () => {
    const a = await analysed('units-zero-relu.js', undefined, 10);
    const stopped = a.diagnostics.filter((d) => d.code === 'analysis-stopped');
    assert.equal(stopped.length, 1, messages(a).join('\n'));
    assert.match(stopped[0].message, /^Analysis stopped: the file needs more than 10 units of work \(the analysis budget; raise it with analysisBudget \(\.gradlintrc\.json\), gradlint\.analysisBudget \(VS Code\), --analysis-budget \(CLI\)\)$/);
  });
});
