import { strict as assert } from 'assert';
import { applyFixes } from '../../../src/core/fixes/apply';
import { torchConvAsConv } from '../../../src/core/yaml/fixes';

describe('YAML fix: a bare nn.Conv2d row as Conv', () => {
  const text = 'nc: 10\nbackbone:\n  - [-1, 1, nn.Conv2d, [3, 32, 3, 2, 1]] # 0 stem\n  - [-1, 1, nn.Conv2d, [32, 32, 3, 1, 1, 2, 1]] # 1\nhead:\n  - [-1, 1, nn.Sigmoid, []] # 2\n';

  it('renames the module and drops the input channels, keeping the comment', () => {
    const edits = torchConvAsConv(text, 0);
    assert.ok(edits);
    assert.equal(applyFixes(text, [{ title: 't', edits, preferred: true }]).split('\n')[2], '  - [-1, 1, Conv, [32, 3, 2, 1]] # 0 stem');
  });

  it('leaves rows alone whose later arguments mean something else in Conv, and other modules', () => {
    assert.equal(torchConvAsConv(text, 1), undefined); // dilation, groups: Conv orders them g, d
    assert.equal(torchConvAsConv(text, 2), undefined);
    assert.equal(torchConvAsConv(text, 7), undefined);
  });
});
