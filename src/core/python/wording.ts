// How a batch normalisation is named in a fix's title, in the words of the model's own
// framework: tfjs's factory, Keras's `layers.BatchNormalization()`, PyTorch's
// `nn.BatchNorm1d(64)` (its size is the width of the layer it follows, which PyTorch needs).
import type { Layer, ModelSource } from '../graph';

/** The PyTorch batch norm after one layer: 1d after dense/recurrent, 2d/3d after convolutions. */
function torchBatchNorm(layer: Layer): string {
  const dims = /3d$/i.test(layer.kind) ? 3 : /2d$/i.test(layer.kind) ? 2 : 1;
  const width = layer.config.units ?? layer.config.filters;
  return `nn.BatchNorm${dims}d${typeof width === 'number' ? `(${width})` : ''}`;
}

/** What "insert a batch normalisation" inserts after `layers`, named for a model of `source`. */
export function batchNormName(source: ModelSource, layers: readonly Layer[]): string {
  if (source === 'keras') return 'layers.BatchNormalization()';
  if (source !== 'pytorch') return 'batchNormalization';
  const names = [...new Set(layers.map(torchBatchNorm))];
  // Different widths: the class alone (nn.BatchNorm1d), or the family when dimensions differ too.
  if (names.length === 1) return names[0];
  const classes = [...new Set(names.map((n) => n.replace(/\(.*$/, '')))];
  return classes.length === 1 ? classes[0] : 'nn.BatchNorm';
}
