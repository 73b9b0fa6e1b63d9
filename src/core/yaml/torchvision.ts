// Ultralytics' TorchVision row (block.py: TorchVision(model, weights, unwrap, truncate, split))
// for torchvision's ResNet family (torchvision/models/resnet.py): with unwrap, the model's
// children in order (conv1, bn1, relu, maxpool, layer1-4, avgpool, fc) less the last `truncate`.
// The weights change no parameter count; the layers are built without downloading them.

import type { GraphBuilder, Tensor } from './builder';

const RELU = { activation: 'relu' } as const;

/** Blocks per stage, and torchvision's Bottleneck (1×1, 3×3, 1×1 ×4) or BasicBlock (two 3×3). */
const RESNETS: Record<string, { blocks: number[]; bottleneck: boolean }> = {
  resnet18: { blocks: [2, 2, 2, 2], bottleneck: false },
  resnet34: { blocks: [3, 4, 6, 3], bottleneck: false },
  resnet50: { blocks: [3, 4, 6, 3], bottleneck: true },
  resnet101: { blocks: [3, 4, 23, 3], bottleneck: true },
  resnet152: { blocks: [3, 8, 36, 3], bottleneck: true },
};

const CHILDREN = 10; // conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, avgpool, fc
const STEM_CHILDREN = 4;

/** One residual block: conv+BN pairs (ReLU between), a 1×1 projection when the shape changes, ReLU after the sum. */
function block(b: GraphBuilder, name: string, x: Tensor, planes: number, stride: number, bottleneck: boolean): Tensor {
  const out = bottleneck ? planes * 4 : planes;
  const main = bottleneck
    ? b.conv(`${name}.conv3`, b.conv(`${name}.conv2`, b.conv(`${name}.conv1`, x, planes, { k: 1, act: RELU }), planes, { k: 3, s: stride, act: RELU }), out, { k: 1, act: false })
    : b.conv(`${name}.conv2`, b.conv(`${name}.conv1`, x, planes, { k: 3, s: stride, act: RELU }), planes, { k: 3, act: false });
  const identity = stride !== 1 || x.channels !== out ? b.conv(`${name}.downsample`, x, out, { k: 1, s: stride, act: false }) : x;
  return b.activation(`${name}.relu`, b.merge('add', `${name}.add`, [main, identity]), RELU);
}

/**
 * The unwrapped, truncated torchvision ResNet, or undefined for what is not modelled here:
 * another model, no unwrap, split outputs, or a cut that keeps avgpool/fc or splits the stem.
 */
export function torchVision(b: GraphBuilder, name: string, x: Tensor, model: unknown, unwrap: boolean, truncate: number, split: boolean): Tensor | undefined {
  const resnet = typeof model === 'string' ? RESNETS[model] : undefined;
  const kept = CHILDREN - truncate;
  if (!resnet || !unwrap || split || kept < STEM_CHILDREN || kept > CHILDREN - 2) return undefined;
  let y = b.pool('maxPooling2d', `${name}.m.3`, b.conv(`${name}.m.0`, x, 64, { k: 7, s: 2, p: 3, act: RELU }), 3, 2, 1);
  resnet.blocks.slice(0, kept - STEM_CHILDREN).forEach((count, stage) => {
    for (let i = 0; i < count; i++) y = block(b, `${name}.m.${STEM_CHILDREN + stage}.${i}`, y, 64 << stage, i === 0 && stage > 0 ? 2 : 1, resnet.bottleneck);
  });
  return y;
}
