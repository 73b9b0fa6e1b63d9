// A short seeded fuzz round (about a minute) over the repo's fixtures and examples; a long
// one is `npm run fuzz -- --seed N --count 2000` (README). A failure names its reproducer.
// The round ends at its deadline, minimising included; past it, at most the mutant being run
// and one minimising run (30 s each) finish. A mutant's limit is generous for a loaded 2-core
// machine: the slowest known (2,000 YOLOv9 rows, stopped by the analysis budget) takes 2 s.
import { strict as assert } from 'assert';
import * as os from 'os';
import * as path from 'path';
import { fuzz } from '../fuzz/fuzz';

describe('fuzz round', () => {
  it('seed 1: no mutant hangs, crashes, runs out of memory or hits an internal error', async function () {
    this.timeout(200_000); // a 60 s round, plus the last mutant's and one minimising run's limit
    const out = path.join(os.tmpdir(), `gradlint-fuzz-${process.pid}`);
    const failures = await fuzz({ seed: 1, count: Infinity, seconds: 60, out, timeoutMs: 30_000, memoryMb: 512 });
    assert.deepEqual(
      failures.map((f) => `${f.key} (from ${path.basename(f.file)} by ${f.mutators.join(', ')}; reproducer ${f.reproducer})`),
      [],
    );
  });
});
