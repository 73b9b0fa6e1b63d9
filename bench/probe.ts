// Probe speed (issue 6): one probe step, model building included, for four models on the
// wasm and cpu backends in this one run; the cpu/wasm time ratio; and the share of wasm's
// plain forward-convolution throughput (GFLOP/s) the probe reaches on conv models, counting a training
// step as 3× the forward multiply-adds of its conv and dense layers. Also the whole
// worker round trip for yolo11n 64×64 on wasm (goal: under 5 s). Ratios are measured in
// one run and reported, never asserted.
// yolo11n at 256×256 runs on wasm; on cpu only with --full (over ten minutes here: the
// goal is wasm ≥ 10× faster than cpu there).
//   npm run bench   or   npx tsx bench/probe.ts [--full]
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { extractModels } from '../src/core/extract';
import type { Layer, ModelGraph, Value } from '../src/core/graph';
import { applyLayerDefaults } from '../src/core/layerDefaults';
import { chooseBackend } from '../src/probe/backend';
import { buildModel } from '../src/probe/build';
import { measureModel } from '../src/probe/measure';
import { runProbeOnGraphs } from '../src/probe/run';
import type { BackendName } from '../src/core/gradientResult';
import type { ProbeOptions } from '../src/probe/types';

/** The repository: bench/ when run with tsx, dist/bench/ when bundled. */
const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((d) => fs.existsSync(path.join(d, 'esbuild.js')))!;

function layer(id: string, kind: string, config: Record<string, Value>, line: number): Layer {
  return { id, name: id, kind, config: applyLayerDefaults(kind, config), unknown: {}, line, range: { start: 0, end: 0 }, props: {} };
}

function chain(name: string, inputShape: number[], specs: [string, Record<string, Value>][]): ModelGraph {
  const layers = [layer('input', 'input', { shape: inputShape }, 1), ...specs.map(([kind, config], i) => layer(`${kind}_${i + 1}`, kind, config, i + 2))];
  const nodes = layers.map((l, i) => ({ id: l.id, layer: l.id, inputs: i === 0 ? [] : [layers[i - 1].id] }));
  return { name, line: 1, range: { start: 0, end: 0 }, source: 'tfjs', layers, nodes, inputs: ['input'], outputs: [nodes[nodes.length - 1].id], inputShape };
}

const repeat = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

function yolo11n(): ModelGraph | string {
  const file = path.join(root, 'test/fixtures/yolo/11/yolo11.yaml');
  if (!fs.existsSync(file)) return `no ${file}`;
  const { models, problems } = extractModels('yolo11n.yaml', fs.readFileSync(file, 'utf8'), { yoloScale: 'n' });
  return models[0] ?? `yolo11n.yaml was not read: ${problems.map((p) => p.message).join('; ')}`;
}

interface Case {
  name: string;
  graph: ModelGraph;
  options?: Partial<ProbeOptions>;
  backends: BackendName[];
}

/** Forward multiply-adds ×2 of the conv and dense layers, from kernel and output shapes. */
function forwardFlops(graph: ModelGraph, options: ProbeOptions): number {
  const built = buildModel(graph, { seed: 0, maxParameters: 1e9, inputShape: graph.source === 'yaml' ? [options.size ?? 64, options.size ?? 64, 3] : undefined });
  const batch = options.batch ?? (graph.source === 'yaml' ? 2 : 16);
  let flops = 0;
  const visit = (l: tf.layers.Layer) => {
    if (l instanceof tf.LayersModel) return l.layers.forEach(visit);
    const kernel = l.trainableWeights.find((w) => w.shape.length >= 2 && /kernel/.test(w.name));
    const out = l.outputShape as (number | null)[];
    if (!kernel || !Array.isArray(out) || Array.isArray(out[0])) return;
    const positions = out.slice(1, -1).reduce<number>((a, d) => a * (d ?? 1), 1);
    flops += 2 * batch * positions * kernel.shape.reduce<number>((a, d) => a * (d ?? 1), 1);
  };
  built.model.layers.forEach(visit);
  built.model.dispose();
  return flops;
}

/** GFLOP/s of one plain forward convolution on the active backend (8×64×64×32 → 32, 3×3). */
function convThroughput(): number {
  const x = tf.randomNormal([8, 64, 64, 32]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32]) as tf.Tensor4D;
  tf.conv2d(x, w, 1, 'same').dispose();
  const rounds = 5;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) tf.conv2d(x, w, 1, 'same').dataSync();
  const seconds = (performance.now() - start) / 1000 / rounds;
  tf.dispose([x, w]);
  return (2 * 8 * 64 * 64 * 32 * 32 * 9) / seconds / 1e9;
}

async function timeProbe(graph: ModelGraph, options: ProbeOptions): Promise<number> {
  const start = performance.now();
  await measureModel(graph, options);
  return performance.now() - start;
}

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  const both: BackendName[] = ['wasm', 'cpu'];
  const cases: Case[] = [
    { name: '8 × dense(64, sigmoid) + dense(10)', graph: chain('mlp', [64], [...repeat(8, ['dense', { units: 64, activation: 'sigmoid' }] as [string, Record<string, Value>]), ['dense', { units: 10 }]]), backends: both },
    {
      name: '12 × conv2d(16, 3×3) at 16×16',
      graph: chain('cnn', [16, 16, 3], [...repeat(12, ['conv2d', { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }] as [string, Record<string, Value>]), ['flatten', {}], ['dense', { units: 10 }]]),
      backends: both,
    },
    { name: 'lstm(64) over 50 steps', graph: chain('lstm', [50, 32], [['lstm', { units: 64 }], ['dense', { units: 10 }]]), backends: both },
  ];
  const yolo = yolo11n();
  if (typeof yolo === 'string') console.log(`yolo11n skipped: ${yolo}`);
  else {
    cases.push({ name: 'yolo11n 64×64', graph: yolo, options: { size: 64 }, backends: both });
    cases.push({ name: 'yolo11n 256×256', graph: yolo, options: { size: 256 }, backends: full ? both : ['wasm'] });
  }

  const base: ProbeOptions = { steps: 1, seed: 0, learningRate: 0.01 };
  const throughput: Partial<Record<BackendName, number>> = {};
  const rows: string[][] = [];
  for (const c of cases) {
    const options = { ...base, ...c.options };
    const ms: Partial<Record<BackendName, number>> = {};
    let flops = 0;
    for (const backend of c.backends) {
      await chooseBackend({ backend });
      if (throughput[backend] === undefined) {
        throughput[backend] = convThroughput();
        await timeProbe(cases[0].graph, { ...base, backend }); // warm-up: wasm initialised, code compiled
      }
      flops ||= forwardFlops(c.graph, options);
      try {
        ms[backend] = await timeProbe(c.graph, { ...options, backend });
      } catch (err) {
        console.log(`${c.name} on ${backend}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const convolutional = c.graph.layers.some((l) => l.kind === 'conv2d');
    const reach = ms.wasm && convolutional ? (3 * flops) / (ms.wasm / 1000) / 1e9 / throughput.wasm! : undefined;
    rows.push([
      c.name,
      ms.wasm?.toFixed(0) ?? '-',
      ms.cpu?.toFixed(0) ?? '-',
      ms.wasm && ms.cpu ? (ms.cpu / ms.wasm).toFixed(1) + '×' : '-',
      reach === undefined ? '-' : `${(reach * 100).toFixed(0)}%`,
    ]);
  }

  const header = ['model (one probe step, build included)', 'wasm ms', 'cpu ms', 'cpu/wasm', 'of wasm conv GFLOP/s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) console.log(r.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '));
  console.log(`plain forward conv2d: wasm ${throughput.wasm?.toFixed(1)} GFLOP/s, cpu ${throughput.cpu?.toFixed(1)} GFLOP/s`);

  if (typeof yolo !== 'string') {
    const worker = [path.join(__dirname, '..', 'probeWorker.js'), path.join(root, 'src/probe/worker.ts')].find((f) => fs.existsSync(f));
    const start = performance.now();
    await runProbeOnGraphs('yolo11n.yaml', [yolo], { ...base, size: 64, backend: 'wasm' }, { workerPath: worker });
    console.log(`yolo11n 64×64 through the worker on wasm (start, build, one step): ${(performance.now() - start).toFixed(0)} ms (goal < 5000)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
