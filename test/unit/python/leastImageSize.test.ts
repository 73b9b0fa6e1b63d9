import { strict as assert } from 'assert';
import { leastImageSize } from '../../../src/core/python/leastImageSize';
import type { GraphNode } from '../../../src/core/graph';

// A chain input → layers..., each node reading the one before.
function chain(layers: { kind: string; config: Record<string, unknown> }[]): number {
  const nodes: GraphNode[] = [{ id: 'n0', layer: 'input', inputs: [] }, ...layers.map((_, i) => ({ id: `n${i + 1}`, layer: `l${i + 1}`, inputs: [`n${i}`] }))];
  const byId = new Map([['input', { kind: 'input', config: {} }], ...layers.map((l, i): [string, (typeof layers)[number]] => [`l${i + 1}`, l])]);
  return leastImageSize(nodes, (id) => byId.get(id));
}

const conv = (k: number, s = 1, padding: unknown = 0) => ({ kind: 'conv2d', config: { kernelSize: [k, k], strides: [s, s], padding, dilationRate: [1, 1] } });
const pad = (p: number) => ({ kind: 'zeroPadding2d', config: { padding: [[p, p], [p, p]] } });

describe('the least image size that leaves every layer an output', () => {
  it('adds what unpadded convolutions take and multiplies by their strides (DCGAN\'s discriminator: 64)', () => {
    assert.equal(chain([conv(4, 2, 1), conv(4, 2, 1), conv(4, 2, 1), conv(4, 2, 1), conv(4, 1, 0)]), 64);
  });

  it('counts what a padding layer gives back: reflection-padded 9×9 convolutions need one pixel', () => {
    assert.equal(chain([pad(4), conv(9), pad(4), conv(9), pad(4), conv(9)]), 1);
    assert.equal(chain([conv(9), conv(9), conv(9)]), 25);
  });

  it("needs nothing more for 'same' convolutions, which round their output up", () => {
    assert.equal(chain([conv(3, 2, 'same'), conv(3, 2, 'same'), conv(4, 1, 0)]), 13);
  });
});
