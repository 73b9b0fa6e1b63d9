// A short seeded fuzz round over the repo's fixtures and examples: the first 3,000 mutants of
// seed 1 (about a minute), the same on every machine, so that only a change of the code or the
// corpus changes what it finds; a long one is `npm run fuzz -- --seed N --count 5000` (README).
// A failure names its reproducer. A deadline bounds the round on a slow machine, minimising
// included; past it, at most the mutant being run and one minimising run (30 s each) finish. A mutant's limit is generous for a loaded 2-core
// machine: the slowest known (2,000 YOLOv9 rows, stopped by the analysis budget) takes 2 s.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { corpus, fuzz } from '../fuzz/fuzz';
import { mutate, rng } from '../fuzz/mutate';

describe('fuzz round', () => {
  it('mutates Python and notebooks too: a notebook mutated inside a code cell stays valid JSON', () => {
    const files = corpus();
    assert.ok(files.some((f) => f.endsWith('.py')) && files.some((f) => f.endsWith('.ipynb')));
    const notebook = path.join(__dirname, '../fixtures/python/notebook/mlp.ipynb');
    const text = fs.readFileSync(notebook, 'utf8');
    const random = rng(3);
    const inCell = Array.from({ length: 40 }, () => mutate(text, random, notebook)).filter((m) => m.applied.some((a) => a.endsWith('(in a cell)')));
    assert.ok(inCell.length > 0);
    for (const m of inCell) {
      const cells = JSON.parse(m.text).cells as { cell_type: string }[];
      assert.deepEqual(cells.map((c) => c.cell_type), JSON.parse(text).cells.map((c: { cell_type: string }) => c.cell_type));
    }
    // The JavaScript-only mutators are not applied to Python, nor the Python ones to JavaScript.
    const python = Array.from({ length: 60 }, () => mutate('import torch.nn as nn\n', random, 'm.py').applied).flat();
    const js = Array.from({ length: 60 }, () => mutate('const x = 1;\n', random, 'm.js').applied).flat();
    assert.ok(!python.includes('codeLoop') && python.includes('pythonLoop'));
    assert.ok(!js.includes('pythonLoop') && js.includes('codeLoop'));
  });

  it('seed 1: no mutant hangs, crashes, runs out of memory or hits an internal error', async function () {
    this.timeout(330_000); // the deadline, plus the last mutant's and one minimising run's limit
    const out = path.join(os.tmpdir(), `gradlint-fuzz-${process.pid}`);
    const failures = await fuzz({ seed: 1, count: 3000, seconds: 240, out, timeoutMs: 30_000, memoryMb: 512 });
    assert.deepEqual(
      failures.map((f) => `${f.key} (from ${path.basename(f.file)} by ${f.mutators.join(', ')}; reproducer ${f.reproducer})`),
      [],
    );
  });
});
