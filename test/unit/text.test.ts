import { strict as assert } from 'assert';
import { LineIndex } from '../../src/core/text';

describe('LineIndex', () => {
  it('maps offsets to 0-based positions and 1-based lines and back', () => {
    const idx = new LineIndex('ab\ncd\n\nef');
    assert.deepEqual(idx.positionAt(4), { line: 1, character: 1 });
    assert.equal(idx.lineOf(7), 4);
    assert.equal(idx.offsetAt({ line: 3, character: 1 }), 8);
    assert.equal(idx.lineCount, 4);
  });
});
