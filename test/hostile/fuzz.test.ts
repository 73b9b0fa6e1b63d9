// A short seeded fuzz round (about a minute) over the repo's fixtures and examples; a long
// one is `npm run fuzz -- --seed N --count 2000` (README). A failure names its reproducer.
// The timeout is generous: a true hang never ends, while a 2,000-line YOLOv9 mutant is slow but
// finite (13 s for lint alone, over 30 s for lint, graph and estimate on a loaded 2-core machine;
// a known cost, not a hang).
import { strict as assert } from 'assert';
import * as os from 'os';
import * as path from 'path';
import { fuzz } from '../fuzz/fuzz';

describe('fuzz round', () => {
  it('seed 1: no mutant hangs, crashes, runs out of memory or hits an internal error', async function () {
    this.timeout(300_000); // a 60 s round, plus the last mutant's 90 s limit
    const out = path.join(os.tmpdir(), `gradlint-fuzz-${process.pid}`);
    const failures = await fuzz({ seed: 1, count: Infinity, seconds: 60, out, timeoutMs: 90_000, memoryMb: 512 });
    assert.deepEqual(
      failures.map((f) => `${f.key} (from ${path.basename(f.file)} by ${f.mutators.join(', ')}; reproducer ${f.reproducer})`),
      [],
    );
  });
});
