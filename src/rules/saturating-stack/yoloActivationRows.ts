// YOLO YAML: fixes for saturating-stack on rows of bare torch activations (`nn.Sigmoid`,
// `nn.Tanh`, `nn.Hardsigmoid`): the module name replaced, every other character of the file kept.

import type { Fix } from '../../core/diagnostic';
import type { Layer } from '../../core/graph';
import { replaceModule } from '../../core/yaml/fixes';
import type { RuleContext } from '../../core/rule';
import { layerNames } from '../util/format';

const REPLACEMENTS = [
  { module: 'nn.SiLU', why: 'what Ultralytics Conv uses' },
  { module: 'nn.ReLU', why: 'no saturation for positive inputs' },
];

/** Replacing each row's activation module, when every layer of the stack is such a row. */
export function activationRowFixes(ctx: RuleContext, layers: Layer[]): Fix[] {
  const rows = [...new Set(layers.map((l) => l.row))];
  const modules = rows.map((r) => ctx.model.rows?.find((info) => info.index === r)?.module);
  if (rows.some((r) => r === undefined) || !modules.every((m) => m !== undefined && /^(torch\.)?nn\.(Sigmoid|Tanh|Hardsigmoid)$/.test(m))) return [];
  return REPLACEMENTS.flatMap(({ module, why }, i) => {
    const edits = rows.flatMap((r) => replaceModule(ctx.source.text, r as number, module) ?? []);
    return edits.length === rows.length ? [{ title: `Use ${module} in rows ${layerNames(layers)} (${why})`, edits, preferred: i === 0 }] : [];
  });
}
