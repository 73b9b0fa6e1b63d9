// The findings, fixes and fixed texts on every example and fixture equal the recorded
// snapshot: restructuring the code must not change what users see.
import * as assert from 'assert';
import * as fs from 'fs';
import { modelFiles, record, SNAPSHOT } from './record';

describe('behaviour is unchanged (test/behaviour/snapshot.json)', function () {
  this.timeout(300_000);
  const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as Record<string, unknown>;

  it('covers the same model files', () => {
    assert.deepStrictEqual(modelFiles(), Object.keys(snapshot));
  });

  for (const rel of Object.keys(snapshot)) {
    it(rel, () => {
      assert.deepStrictEqual(JSON.parse(JSON.stringify(record(rel))), snapshot[rel]);
    });
  }
});
