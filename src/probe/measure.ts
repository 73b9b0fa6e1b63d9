// The contract's experiment (../shared/reference/probe-contract.md) on one model graph, in
// this process: build the model, feed one seeded random batch in training mode, take the
// loss Σ_k mean((y_k − t_k)²) against N(0, 1) targets, and record per layer (YAML: per row)
// the kernel-gradient RMS and the activation RMS at each step, with plain SGD between steps.
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../core/graph';
import { ensureBackend } from './backend';
import { checkProbeLimits } from './limits';
import { buildModel, BuildError, type BuildOptions, type BuiltGraphLayer, type BuiltModel, type ModelInput } from './build';
import { fittingBatch } from './memory';
import { checkProbeTime, forwardFlopsPerSample } from './time';
import { loadModelJson, ModelJsonLoadError } from './modelJson';
import { DEFAULT_MAX_LAYERS, DEFAULT_MAX_PARAMETERS } from './protocol';
import type { ProbeLayerResult, ProbeModelResult } from '../core/gradientResult';
import type { ProbeOptions } from './types';
import { registerStepGradients } from './stepGradients';

const TFJS_BATCH = 16;
const YAML_BATCH = 2;

/** Called after each step with the number of steps done and the total. */
export type StepCallback = (done: number, steps: number) => void;

/** One reported line: a graph layer, or a YAML row with all its layers together. */
interface Group {
  name: string;
  kind: string;
  line: number;
  row: number | null;
  kernels: tf.LayerVariable[];
  /** The outputs whose RMS is the group's activation RMS. */
  outputs: tf.SymbolicTensor[];
}

/** Distinct seeds for the weights (the builder's stream), the inputs and the targets. */
const dataSeed = (seed: number, stream: 'input' | 'target', index: number): number =>
  -(seed * 1_000_003 + (stream === 'input' ? 1 : 500_001) + index);

/**
 * Runs the probe on one model graph and returns the contract's per-layer numbers.
 * `onNote` hears how the model was built where the graph left things open. `sourceText`,
 * the file's text, lets tfjs load a model.json model itself; without it the graph is built.
 */
export async function measureModel(
  graph: ModelGraph,
  options: ProbeOptions,
  onStep?: StepCallback,
  onNote?: (message: string) => void,
  sourceText?: string,
): Promise<ProbeModelResult> {
  try {
    return await measureWithinLimits(graph, options, onStep, onNote, sourceText);
  } catch (err) {
    // tfjs builds and differentiates recursively: a deep model under a raised layer cap can still overflow.
    if (!(err instanceof RangeError)) throw err;
    throw new BuildError(`tfjs ran out of stack building or differentiating this model (${err.message}): it is too deep for the probe, which is why --max-layers (setting gradlint.probe.maxLayers) defaults to ${DEFAULT_MAX_LAYERS}`, graph.name);
  }
}

async function measureWithinLimits(
  graph: ModelGraph,
  options: ProbeOptions,
  onStep?: StepCallback,
  onNote?: (message: string) => void,
  sourceText?: string,
): Promise<ProbeModelResult> {
  const { backend } = await ensureBackend({ backend: options.backend });
  registerStepGradients();
  const yaml = graph.source === 'yaml';
  const buildOptions: BuildOptions = {
    seed: options.seed,
    maxParameters: options.maxParameters ?? DEFAULT_MAX_PARAMETERS,
    inputShape: yaml ? yoloInputShape(graph, options.size) : undefined,
  };
  checkProbeLimits(graph, {
    maxLayers: options.maxLayers ?? DEFAULT_MAX_LAYERS,
    maxParameters: buildOptions.maxParameters,
    // A batch asked for is run as asked or refused; the default one may shrink to fit memory, to 1.
    time: options.timeoutSeconds === undefined ? undefined : { steps: options.steps, batch: options.batch ?? 1, backend, seconds: options.timeoutSeconds, size: options.size },
  });
  const built =
    graph.source === 'model.json' && sourceText
      ? await loadOrBuild(graph, sourceText, buildOptions, onNote)
      : buildModel(graph, buildOptions);
  built.notes.forEach((n) => onNote?.(n));
  try {
    if (built.model.trainableWeights.length === 0) {
      throw new BuildError('the model has no trainable weights, so there is no gradient to measure', graph.name);
    }
    const groups = yaml ? rowGroups(graph, built.layers) : built.layers.map(layerGroup);
    const batch = fittingBatch(built, options.batch ?? (yaml ? YAML_BATCH : TFJS_BATCH), options.batch !== undefined, onNote);
    if (options.timeoutSeconds !== undefined) checkProbeTime(forwardFlopsPerSample(built), batch, options.steps, backend, options.timeoutSeconds);
    const series = await runSteps(built, groups, batch, yaml, options, onStep);
    const layers: ProbeLayerResult[] = groups.map((g, i) => ({
      name: g.name,
      kind: g.kind,
      line: g.line,
      row: g.row,
      gradientRms: g.kernels.length > 0 ? series.gradient[i] : null,
      activationRms: series.activation[i],
    }));
    return { name: graph.name, line: graph.line, backend, layers, depthRatioLog10: depthRatio(layers) };
  } finally {
    built.model.dispose();
  }
}

/**
 * model.json: tfjs loads the file's model; a config tfjs's loader refuses but the front end
 * reads (Keras 3 files) is built from the graph instead, with a note saying so.
 */
async function loadOrBuild(graph: ModelGraph, text: string, options: BuildOptions, onNote?: (message: string) => void): Promise<BuiltModel> {
  try {
    return await loadModelJson(graph, text, options);
  } catch (err) {
    if (!(err instanceof ModelJsonLoadError)) throw err;
    onNote?.(`${err.message}; built from gradlint's reading of the file instead`);
    return buildModel(graph, options);
  }
}

const kernelsOf = (parts: tf.layers.Layer[]): tf.LayerVariable[] =>
  parts.flatMap((p) => p.trainableWeights).filter((w) => w.shape.length >= 2);

function layerGroup(entry: BuiltGraphLayer): Group {
  const { layer } = entry;
  return {
    name: layer.name,
    kind: layer.kind,
    line: layer.line,
    row: layer.row ?? null,
    kernels: kernelsOf(entry.parts),
    outputs: entry.outputs,
  };
}

/** YAML: one group per row; its output is the row's last layer's (topological order). */
function rowGroups(graph: ModelGraph, layers: BuiltGraphLayer[]): Group[] {
  const groups: Group[] = [];
  for (const row of graph.rows ?? []) {
    const members = layers.filter((e) => e.layer.row === row.index);
    if (members.length === 0) continue;
    groups.push({
      name: row.module,
      kind: row.module,
      line: row.line,
      row: row.index,
      kernels: kernelsOf(members.flatMap((e) => e.parts)),
      outputs: members[members.length - 1].outputs,
    });
  }
  return groups;
}

/**
 * YOLO input: `size`, else the front end's (max(64, 2 × largest stride)), else 128 when
 * the head reads four levels (P6) and 64 otherwise; channels as the front end read them, else 3.
 */
function yoloInputShape(graph: ModelGraph, size: number | undefined): number[] {
  const rows = graph.rows ?? [];
  const head = rows[rows.length - 1];
  const side = size ?? graph.inputShape?.[0] ?? (head && head.from.length >= 4 ? 128 : 64);
  const channels = graph.inputShape?.[2] ?? 3;
  return [side, side, channels];
}

function randomInput(input: ModelInput, batch: number, yaml: boolean, seed: number): tf.Tensor {
  const shape = [batch, ...input.shape];
  if (input.dtype === 'int32') {
    const range = input.range ?? 1;
    return tf.tidy(() =>
      tf.randomUniform(shape, 0, range, 'float32', seed).floor().clipByValue(0, range - 1).cast('int32'),
    );
  }
  return yaml ? tf.randomUniform(shape, 0, 1, 'float32', seed) : tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** √(Σ x² / Σ n) over several tensors taken together. */
function rms(tensors: tf.Tensor[], sizes = tensors.map((t) => t.size)): tf.Scalar {
  const count = sizes.reduce((a, b) => a + b, 0);
  if (tensors.length === 0 || count === 0) return tf.scalar(0);
  // Scaled by the largest magnitude before squaring: float32 squares underflow to 0 below
  // 10^-22.6 and overflow above 10^19, where vanishing and exploding gradients live.
  const floats = tensors.map((t) => t.toFloat());
  const scale = tf.stack(floats.map((t) => t.abs().max())).max();
  const divisor = tf.where(scale.greater(0), scale, tf.onesLike(scale));
  const sums = floats.map((t) => t.div(divisor).square().sum());
  return tf.addN(sums).div(count).sqrt().mul(scale) as tf.Scalar;
}

interface Series {
  gradient: number[][];
  activation: number[][];
}

async function runSteps(
  built: BuiltModel,
  groups: Group[],
  batch: number,
  yaml: boolean,
  options: ProbeOptions,
  onStep?: StepCallback,
): Promise<Series> {
  // A second view of the same layers that also returns every reported activation.
  const watched = [...new Set([...built.outputs, ...groups.flatMap((g) => g.outputs)])];
  const position = new Map(watched.map((t, i) => [t, i]));
  const probe = tf.model({ inputs: built.model.inputs, outputs: watched });
  const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const inputs = built.inputs.map((input, i) => randomInput(input, batch, yaml, dataSeed(options.seed, 'input', i)));
  const targets = built.outputs.map((out, k) =>
    tf.randomNormal([batch, ...out.shape.slice(1).map((d) => d ?? 1)], 0, 1, 'float32', dataSeed(options.seed, 'target', k)),
  );
  const optimizer = tf.train.sgd(options.learningRate);
  const series: Series = { gradient: groups.map(() => []), activation: groups.map(() => []) };
  try {
    for (let step = 0; step < options.steps; step++) {
      let activationRms: tf.Scalar[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const result = probe.apply(inputs, { training: true });
        const outs = (Array.isArray(result) ? result : [result]) as tf.Tensor[];
        activationRms = groups.map((g) => tf.keep(rms(g.outputs.map((o) => outs[position.get(o)!]))));
        const losses = built.outputs.map((o, k) => tf.squaredDifference(outs[position.get(o)!], targets[k]).mean());
        return tf.addN(losses) as tf.Scalar;
      }, variables);
      const gradientRms = tf.tidy(() =>
        groups.map((g) => {
          // A kernel the loss does not reach has no entry: its gradient is zero.
          const present = g.kernels.map((k) => grads[(k.read() as tf.Variable).name]).filter((t): t is tf.Tensor => !!t);
          return rms(present, g.kernels.map((k) => k.shape.reduce<number>((a, b) => a * (b ?? 1), 1)));
        }),
      );
      const stacked = tf.stack([...activationRms, ...gradientRms]);
      const values = await stacked.data();
      stacked.dispose();
      groups.forEach((_, i) => {
        series.activation[i].push(values[i]);
        series.gradient[i].push(values[groups.length + i]);
      });
      if (step < options.steps - 1) optimizer.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads), ...activationRms, ...gradientRms]);
      onStep?.(step + 1, options.steps);
    }
  } finally {
    tf.dispose([...inputs, ...targets]);
    optimizer.dispose();
  }
  return series;
}

/**
 * log10(first weighted layer's gradient RMS / last one's) at step 0, −∞ when the first gets no
 * gradient at all (as the estimate says it); null without two weighted layers, without a
 * gradient at the last, or after an overflow.
 */
function depthRatio(layers: ProbeLayerResult[]): number | null {
  const weighted = layers.filter((l) => l.gradientRms !== null);
  if (weighted.length < 2) return null;
  const first = weighted[0].gradientRms![0];
  const last = weighted[weighted.length - 1].gradientRms![0];
  const ratio = Math.log10(first / last);
  return last > 0 && !Number.isNaN(ratio) ? ratio : null;
}
