import * as fs from 'fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { estimateModel } from '../../core/estimate/estimate';
import { estimateToResult } from '../../core/estimate/report';
import { extractModels } from '../../core/extract';
import { healthThresholds, traitsOf } from '../../core/judge';
import { loadSettings, readProjectFile } from '../../lint/index';
import { formatProbeText } from '../../probe/formatText';
import { DEFAULT_MAX_LAYERS, DEFAULT_MAX_PARAMETERS, type ProbeFileOptions } from '../../probe/protocol';
import { DEFAULT_TIMEOUT_MS, ProbeRunError, runProbe } from '../../probe/run';
import type { ProbeFileResult } from '../../core/gradientResult';
import { renderStandaloneHeatmap } from '../../report/heatmapHtml';
import { integerAtLeast, scaleOption } from '../options';
import { readProgram } from '../sources';

/** Commander's parsed flags: the probe's options plus how to run and print it. */
interface ProbeFlags extends ProbeFileOptions {
  timeout: number;
  format: 'json' | 'text';
  html?: string;
  /** `--scale`, as lint and graph take it: the probe's yoloScale. */
  scale?: string;
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** `--html`: the heatmap page, with the static estimate as its "predicted" column. */
function writeHeatmapPage(out: string, file: string, text: string, result: ProbeFileResult, flags: ProbeFlags): void {
  const estimated = extractModels(file, text, { yoloScale: flags.scale, readFile: readProjectFile })
    .models.filter((m) => result.models.some((r) => r.name === m.name))
    .map((m) => estimateModel(m, { batch: flags.batch, size: flags.size }));
  const estimate: ProbeFileResult = { file, models: estimated.map(estimateToResult) };
  const traits = Object.fromEntries(estimated.map((e) => [e.model.name, traitsOf(e)]));
  const thresholds = healthThresholds(loadSettings(file).config.thresholds);
  fs.writeFileSync(out, renderStandaloneHeatmap(result, estimate, { thresholds, traits }));
  console.error(`gradlint probe: heatmap written to ${out}`);
}

/** The result as `--format` asks: the contract's JSON, or the per-layer table. */
export function formatProbe(result: ProbeFileResult, format: 'json' | 'text'): string {
  return format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatProbeText(result);
}

async function probe(file: string, flags: ProbeFlags): Promise<number> {
  // A notebook is probed as the program its Python cells make, read under a Python path.
  const program = readProgram('probe', file);
  if (!program) return 2;
  const { text } = program;
  const { timeout, format, html: _html, scale, ...rest } = flags;
  const options: ProbeFileOptions = scale ? { ...rest, yoloScale: scale } : rest;
  try {
    const result = { ...(await runProbe(program.path, text, options, {
      timeoutMs: timeout * 1000,
      onNotes: (notes) => notes.forEach((note) => console.error(`gradlint probe: note: ${note}`)),
    })), file };
    process.stdout.write(formatProbe(result, format));
    if (flags.html) writeHeatmapPage(flags.html, program.path, text, result, flags);
    return 0;
  } catch (err) {
    const message = err instanceof ProbeRunError || err instanceof Error ? err.message : String(err);
    console.error(`gradlint probe: ${message}`);
    return 1;
  }
}

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('Measure per-layer gradient and activation RMS with a real tfjs backward pass (in a worker process).')
    .argument('<file>', 'a tfjs source file, a model.json or a YOLO YAML')
    .option('--model <name>', 'only the model with this name')
    .option('--steps <n>', 'SGD steps (one row of numbers each)', integerAtLeast(1), 1)
    .option('--seed <n>', 'seeds inputs, targets and initial weights', integerAtLeast(0), 0)
    .option('--batch <n>', 'batch size (default 16; YOLO YAML 2)', integerAtLeast(1))
    .addOption(scaleOption())
    .option('--size <n>', 'YOLO input size (default max(64, 2 × largest stride))', integerAtLeast(8))
    .option('--learning-rate <x>', 'SGD learning rate between steps', positive, 0.01)
    .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(['tfjs-node', 'wasm', 'cpu']))
    .option('--max-parameters <n>', 'refuse models with more parameters, before building them', positive, DEFAULT_MAX_PARAMETERS)
    .option('--max-layers <n>', 'refuse models with more layers, before building them', integerAtLeast(1), DEFAULT_MAX_LAYERS)
    .option('--timeout <seconds>', 'stop the probe after this long', positive, DEFAULT_TIMEOUT_MS / 1000)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--html <file>', 'also write the gradient heatmap as a standalone HTML page')
    .action(async (file: string, flags: ProbeFlags) => {
      process.exitCode = await probe(file, flags);
    });
}
