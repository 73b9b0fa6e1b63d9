import { strict as assert } from 'assert';
import { newModule, num, setAttr } from '../../../src/core/python/values';

// Leaves share one empty attribute map until their first attribute: setting one must reach that leaf alone.
describe('Python module values', () => {
  it("an attribute set on a leaf is that leaf's only", () => {
    const a = newModule('torch.nn.Linear', 'leaf');
    const b = newModule('torch.nn.Linear', 'leaf');
    setAttr(a, 'scale', num(2));
    assert.deepEqual([...a.attrs], [['scale', num(2)]]);
    assert.equal(b.attrs.size, 0);
    assert.equal(newModule('torch.nn.ReLU', 'leaf').attrs.size, 0);
  });

  it('-0 stays -0 while small whole numbers are shared', () => {
    assert.ok(Object.is((num(-0) as { v: number }).v, -0));
    assert.equal(num(3), num(3));
  });
});
