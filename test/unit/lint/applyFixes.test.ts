import { strict as assert } from 'assert';
import type { Fix } from '../../../src/core/diagnostic';
import { applyFixes } from '../../../src/core/fixes/apply';

const fix = (edits: [number, number, string][], preferred = true): Fix => ({
  title: 't',
  preferred,
  edits: edits.map(([start, end, newText]) => ({ range: { start, end }, newText })),
});

describe('applyFixes', () => {
  it('applies non-overlapping edits back to front', () => {
    assert.equal(applyFixes('abcdef', [fix([[0, 1, 'X']]), fix([[4, 6, 'YZW']])]), 'XbcdYZW');
  });

  it('keeps the order of insertions at one point within a fix', () => {
    assert.equal(applyFixes('f(x)', [fix([[0, 0, 'g('], [0, 0, 'h('], [4, 4, '))']])]), 'g(h(f(x)))');
  });

  it('skips a whole fix that overlaps an earlier one', () => {
    assert.equal(applyFixes('abcdef', [fix([[1, 3, 'X']]), fix([[5, 6, 'Q'], [2, 4, 'Y']])]), 'aXdef');
  });

  it('does not guess the order of two fixes inserting at one point', () => {
    assert.equal(applyFixes('ab', [fix([[1, 1, '1']]), fix([[1, 1, '2']])]), 'a1b');
  });

  it('applies an edit repeated within a fix once (a layer built in a loop)', () => {
    assert.equal(applyFixes('ab', [fix([[1, 1, '+'], [1, 1, '+']])]), 'a+b');
  });
});
