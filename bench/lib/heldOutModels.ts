// The held-out bench's seeded generator of tfjs architectures (see bench/heldout.ts): a seed
// names the same models everywhere, so the bench and a lint-only look at them agree.
import type { ModelGraph, Value } from '../../src/core/graph';
import { GraphBuilder, type LayerSpec } from '../../test/unit/estimate/graphs';

/** mulberry32: a small seeded generator, so a seed names the same architectures everywhere. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = (seed * 0x9e3779b9) >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Log-uniform in [lo, hi]. */
  scale(lo: number, hi: number): number {
    return lo * (hi / lo) ** this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'swish', 'mish', 'gelu', 'linear'] as const;
const round = (x: number): number => Number(x.toPrecision(2));

function initializer(r: Random, square: boolean): Value | undefined {
  const named = ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'leCunNormal', 'leCunUniform'];
  switch (r.int(0, 6)) {
    case 0:
    case 1:
      return { name: r.pick(named) };
    case 2:
      return { name: 'varianceScaling', scale: round(r.scale(0.1, 6)), mode: r.pick(['fanIn', 'fanOut', 'fanAvg']), distribution: r.pick(['normal', 'uniform']) };
    case 3: {
      const kind = r.pick(['randomNormal', 'truncatedNormal', 'randomUniform']);
      const s = round(r.scale(0.005, 0.5));
      return kind === 'randomUniform' ? { name: kind, minval: -s, maxval: s } : { name: kind, stddev: s };
    }
    case 4:
      return { name: 'orthogonal', gain: round(r.scale(0.5, 2)) };
    case 5:
      return square ? { name: 'identity', gain: round(r.scale(0.5, 1.5)) } : { name: r.pick(named) };
    default:
      return undefined; // tfjs's default (glorotUniform)
  }
}

/** Either an activation argument, or 'linear' followed by a separate activation layer. */
function activation(r: Random, act: string): { act: string; after: LayerSpec[] } {
  if (!r.chance(0.2)) return { act, after: [] };
  const layer = r.pick<LayerSpec>([
    { kind: 'leakyReLU', config: { alpha: round(r.scale(0.01, 0.5)) } },
    { kind: 'prelu' },
    { kind: 'elu' }, // tfjs's ELU layer refuses any alpha but 1
    { kind: 'reLU', config: { maxValue: 6 } },
    { kind: 'thresholdedReLU', config: { theta: round(r.scale(0.1, 1.5)) } },
    { kind: 'activation', config: { activation: act } },
  ]);
  return { act: 'linear', after: [layer] };
}

function denseSpec(units: number, act: string, init: Value | undefined, extra: Record<string, Value> = {}): LayerSpec {
  return { kind: 'dense', config: { units, activation: act, ...(init ? { kernelInitializer: init } : {}), ...extra } };
}

/** Normalisation, dropout or nothing, at random. */
function between(r: Random): LayerSpec[] {
  const out: LayerSpec[] = [];
  if (r.chance(0.15)) out.push({ kind: 'batchNormalization' });
  else if (r.chance(0.08)) out.push({ kind: 'layerNormalization' });
  if (r.chance(0.1)) out.push({ kind: 'dropout', config: { rate: round(r.scale(0.05, 0.6)) } });
  return out;
}

function mlp(r: Random, name: string): ModelGraph {
  const depth = r.int(2, 30);
  const width = r.pick([4, 8, 16, 32, 64, 128, 256]);
  const act = r.pick(ACTIVATIONS);
  const input = r.pick([8, 32, width]);
  const b = new GraphBuilder(name, [input]);
  const sameInit = r.chance(0.6) ? initializer(r, true) : undefined;
  let prev = input;
  const varying = r.chance(0.3);
  for (let i = 0; i < depth; i++) {
    const w = varying ? r.pick([width, Math.max(4, width / 2), Math.min(256, width * 2)]) : width;
    const init = sameInit && (sameInit as { name?: string }).name === 'identity' && prev !== w ? undefined : (sameInit ?? initializer(r, prev === w));
    const a = activation(r, act);
    b.add(denseSpec(w, a.act, init));
    a.after.forEach((s) => b.add(s));
    between(r).forEach((s) => b.add(s));
    prev = w;
  }
  b.add(denseSpec(r.pick([1, 10]), r.chance(0.15) ? r.pick(['sigmoid', 'softmax']) : 'linear', undefined));
  return b.build();
}

/** x ⊕ f(x) blocks, ⊕ one of add / average / multiply / concatenate. */
function skips(r: Random, name: string): ModelGraph {
  const blocks = r.int(2, 12);
  const width = r.pick([16, 32, 64, 128]);
  const act = r.pick(ACTIVATIONS);
  const merge = r.pick(['add', 'average', 'multiply', 'concatenate']);
  const init = (r.chance(0.5) ? { name: 'heNormal' } : initializer(r, true)) as { name: string } | undefined;
  const b = new GraphBuilder(name, [width]);
  let x = b.add(denseSpec(width, act, init));
  for (let i = 0; i < blocks; i++) {
    const inner = r.int(1, 2);
    let f = x;
    for (let j = 0; j < inner; j++) {
      f = b.add({ ...denseSpec(width, j === inner - 1 && r.chance(0.5) ? 'linear' : act, init), from: [f] });
      for (const s of between(r)) f = b.add({ ...s, from: [f] });
    }
    x = b.add({ kind: merge, from: [x, f] });
    // Concatenation doubles the width: project back so the blocks stay the same size.
    if (merge === 'concatenate') x = b.add({ ...denseSpec(width, act, init?.name === 'identity' ? undefined : init), from: [x] });
  }
  b.add(denseSpec(10, 'linear', undefined));
  return b.build();
}

function conv(r: Random, name: string): ModelGraph {
  const oneD = r.chance(0.3);
  const side = r.pick([8, 12, 16]);
  const channels = r.pick([1, 3, 4]);
  const act = r.pick(ACTIVATIONS);
  const b = new GraphBuilder(name, oneD ? [side * 2, channels] : [side, side, channels]);
  const depth = r.int(2, oneD ? 10 : 8);
  let spatial = oneD ? side * 2 : side;
  for (let i = 0; i < depth; i++) {
    const filters = r.pick([4, 8, 16]);
    const kernelSize = r.pick([1, 3, 5]);
    const a = activation(r, act);
    const init = r.chance(0.5) ? initializer(r, false) : undefined;
    const common: Record<string, Value> = { kernelSize, padding: 'same', activation: a.act };
    const kind = oneD ? 'conv1d' : r.pick(['conv2d', 'conv2d', 'separableConv2d', 'depthwiseConv2d', 'conv2dTranspose']);
    const config: Record<string, Value> =
      kind === 'depthwiseConv2d'
        ? { ...common, ...(init ? { depthwiseInitializer: init } : {}) }
        : kind === 'separableConv2d'
          ? { ...common, filters, ...(init ? { depthwiseInitializer: init, pointwiseInitializer: init } : {}) }
          : { ...common, filters, ...(init ? { kernelInitializer: init } : {}) };
    b.add({ kind, config });
    a.after.forEach((s) => b.add(s));
    between(r).forEach((s) => b.add(s));
    if (spatial >= 4 && r.chance(0.25)) {
      b.add({ kind: `${r.pick(['max', 'average'])}Pooling${oneD ? '1d' : '2d'}`, config: { poolSize: 2 } });
      spatial /= 2;
    }
  }
  if (r.chance(0.5)) b.add({ kind: 'flatten' });
  else b.add({ kind: `global${r.pick(['Max', 'Average'])}Pooling${oneD ? '1d' : '2d'}` });
  if (r.chance(0.5)) b.add(denseSpec(r.pick([16, 32]), r.pick(ACTIVATIONS), undefined));
  b.add(denseSpec(10, 'linear', undefined));
  return b.build();
}

function recurrentLayer(r: Random, units: number, returnSequences: boolean): LayerSpec {
  const kind = r.pick(['simpleRNN', 'lstm', 'gru']);
  const config: Record<string, Value> = { units, returnSequences };
  if (r.chance(0.3)) config.activation = r.pick(['tanh', 'relu', 'sigmoid', 'softsign']);
  if (kind === 'lstm' && r.chance(0.5)) config.unitForgetBias = true;
  const kernel = r.chance(0.3) ? initializer(r, false) : undefined;
  if (kernel) config.kernelInitializer = kernel;
  if (r.chance(0.2)) config.recurrentInitializer = { name: 'orthogonal', gain: round(r.scale(0.5, 1.5)) };
  const layer: LayerSpec = { kind, config };
  return r.chance(0.3) ? { kind: 'bidirectional', config: { mergeMode: r.pick(['concat', 'sum', 'ave', 'mul']) }, wrapped: layer } : layer;
}

function recurrent(r: Random, name: string): ModelGraph {
  const steps = Math.round(r.scale(5, 100));
  const embed = r.chance(0.3);
  const b = new GraphBuilder(name, embed ? [steps] : [steps, r.pick([2, 4, 8])]);
  if (embed) b.add({ kind: 'embedding', config: { inputDim: r.int(10, 200), outputDim: r.pick([8, 16, 32]) } });
  const stack = r.int(1, 3);
  const units = r.pick([8, 16, 32, 64]);
  for (let i = 0; i < stack; i++) {
    const last = i === stack - 1;
    b.add(recurrentLayer(r, units, !last || r.chance(0.2)));
    if (!last && r.chance(0.2)) b.add({ kind: 'dropout', config: { rate: 0.2 } });
  }
  if (b.build().layers.at(-1)?.config.returnSequences === true) b.add({ kind: 'globalAveragePooling1d' });
  b.add(denseSpec(r.pick([1, 10]), r.chance(0.2) ? 'sigmoid' : 'linear', undefined));
  return b.build();
}

function embeddingMlp(r: Random, name: string): ModelGraph {
  const length = r.int(5, 60);
  const b = new GraphBuilder(name, [length]);
  const embeddings = r.chance(0.3) ? initializer(r, false) : undefined;
  b.add({ kind: 'embedding', config: { inputDim: r.int(10, 500), outputDim: r.pick([8, 16, 32, 64]), ...(embeddings ? { embeddingsInitializer: embeddings } : {}) } });
  b.add(r.chance(0.5) ? { kind: 'flatten' } : { kind: r.pick(['globalAveragePooling1d', 'globalMaxPooling1d']) });
  const act = r.pick(ACTIVATIONS);
  for (let i = r.int(1, 6); i > 0; i--) b.add(denseSpec(r.pick([16, 32, 64]), act, r.chance(0.5) ? initializer(r, false) : undefined));
  b.add(denseSpec(1, r.pick(['linear', 'sigmoid']), undefined));
  return b.build();
}

const FAMILIES: [string, (r: Random, name: string) => ModelGraph, number][] = [
  ['mlp', mlp, 0.35],
  ['skip', skips, 0.2],
  ['conv', conv, 0.2],
  ['rnn', recurrent, 0.17],
  ['embed', embeddingMlp, 0.08],
];

/** `count` architectures from `seed`; each name says its family and index, then its shape. */
export function heldOutModels(count: number, seed: number): ModelGraph[] {
  const r = new Random(seed);
  return Array.from({ length: count }, (_, i) => {
    let u = r.next();
    const [family, make] = FAMILIES.find(([, , p]) => (u -= p) < 0) ?? FAMILIES[0];
    const model = make(r, `${family} ${i}`);
    return { ...model, name: `${model.name}: ${describe(model)}` };
  });
}

const WEIGHTED = new Set(['dense', 'conv1d', 'conv2d', 'separableConv2d', 'depthwiseConv2d', 'conv2dTranspose', 'embedding', 'simpleRNN', 'lstm', 'gru', 'bidirectional']);
const MARKS: Record<string, string> = {
  batchNormalization: 'bn',
  layerNormalization: 'ln',
  dropout: 'do',
  add: 'add',
  average: 'avg',
  multiply: 'mul',
  concatenate: 'cat',
  thresholdedReLU: 'thr',
};

/** A short summary: weighted layer count, the commonest kind and activation, and what sits between. */
function describe(model: ModelGraph): string {
  const commonest = (xs: string[]): string => {
    const counts = new Map<string, number>();
    xs.forEach((x) => counts.set(x, (counts.get(x) ?? 0) + 1));
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  };
  const weighted = model.layers.filter((l) => WEIGHTED.has(l.kind));
  const kinds = weighted.map((l) => (l.wrapped ? `bi-${l.wrapped.kind}` : l.kind) + (typeof l.config.units === 'number' ? `(${l.config.units})` : ''));
  const acts = weighted.map((l) => l.config.activation).filter((a): a is string => typeof a === 'string' && a !== 'linear');
  const marks = [...new Set(model.layers.map((l) => MARKS[l.kind]).filter((m) => m))];
  return [`${weighted.length}w`, commonest(kinds), commonest(acts), ...marks].filter((x) => x).join(' ');
}
