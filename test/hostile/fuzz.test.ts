// A short seeded fuzz round (about a minute) over the repo's fixtures and examples; a long
// one is `npm run fuzz -- --seed N --count 2000` (README). A failure names its reproducer.
// The timeout is generous: a true hang never ends, and a 2,000-row file on a loaded 2-core
// machine took 9 s (its analysis is linear).
import { strict as assert } from 'assert';
import * as os from 'os';
import * as path from 'path';
import { fuzz } from '../fuzz/fuzz';

describe('fuzz round', () => {
  it('seed 1: no mutant hangs, crashes, runs out of memory or hits an internal error', async () => {
    const out = path.join(os.tmpdir(), `gradlint-fuzz-${process.pid}`);
    const failures = await fuzz({ seed: 1, count: Infinity, seconds: 60, out, timeoutMs: 30_000, memoryMb: 512 });
    assert.deepEqual(
      failures.map((f) => `${f.key} (from ${path.basename(f.file)} by ${f.mutators.join(', ')}; reproducer ${f.reproducer})`),
      [],
    );
  });
});
