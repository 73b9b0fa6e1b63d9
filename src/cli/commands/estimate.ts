import { Option, type Command } from 'commander';
import { estimateModel } from '../../core/estimate/estimate';
import { estimateToResult, formatEstimateText } from '../../core/estimate/report';
import { extractModels } from '../../core/extract';
import { readProjectFile } from '../../lint/index';
import { readByCli } from '../../core/modelFiles';
import { readProgram } from '../sources';
import type { ProbeFileResult } from '../../core/gradientResult';
import { budgetOption, integerAtLeast } from '../options';
import { DEFAULT_ANALYSIS_BUDGET, isBudgetExhausted, withBudget } from '../../core/budget';

interface EstimateFlags {
  model?: string;
  batch?: number;
  size?: number;
  format: 'json' | 'text';
  analysisBudget?: number;
}

/** Prints the static prediction of the probe's numbers; returns the exit code. */
export function runEstimate(file: string, flags: EstimateFlags): number {
  if (!readByCli(file)) {
    console.error(`gradlint estimate: ${file} is not a tfjs or Python source file, a notebook, a model.json or a YAML file`);
    return 2;
  }
  const program = readProgram('estimate', file);
  if (!program) return 2;
  return withBudget(flags.analysisBudget ?? DEFAULT_ANALYSIS_BUDGET, () => {
    try {
      return estimateFile(file, program, flags);
    } catch (err) {
      if (!isBudgetExhausted(err)) throw err;
      console.error(`gradlint estimate: ${file}: warning: ${err.message}`);
      return 1;
    }
  });
}

/** `program`: the file's text, or a notebook's Python cells joined, under the path it is read as. */
function estimateFile(file: string, program: { path: string; text: string }, flags: EstimateFlags): number {
  const extracted = extractModels(program.path, program.text, { readFile: readProjectFile });
  for (const p of extracted.problems) console.error(`gradlint estimate: ${file}: ${p.severity}: ${p.message}`);
  const models = extracted.models.filter((m) => flags.model === undefined || m.name === flags.model);
  if (flags.model !== undefined && models.length === 0) {
    console.error(`gradlint estimate: no model named ${flags.model} in ${file}`);
    return 2;
  }
  const estimates = models.map((m) => estimateModel(m, { batch: flags.batch, size: flags.size }));
  if (flags.format === 'json') {
    const result: ProbeFileResult = { file, models: estimates.map(estimateToResult) };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else if (estimates.length === 0) {
    process.stdout.write(`${file}: no models found\n`);
  } else {
    process.stdout.write(estimates.map((e) => formatEstimateText(file, e)).join('\n\n') + '\n');
  }
  return 0;
}

export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .description("Predict per-layer gradient and activation RMS statically (the probe's experiment, without running it).")
    .argument('<file>', 'a tfjs source file, a model.json or a YOLO YAML')
    .option('--model <name>', 'only the model with this name')
    .option('--batch <n>', 'batch size (default 16; YOLO YAML 2)', integerAtLeast(1))
    .option('--size <n>', 'YOLO input size when the file leaves it open', integerAtLeast(1))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(budgetOption())
    .action((file: string, flags: EstimateFlags) => {
      process.exitCode = runEstimate(file, flags);
    });
}
