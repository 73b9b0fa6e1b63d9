// Probes the models of one file in this process: read the file with the front ends, pick
// the models, measure each. The worker runs this; so can tests and benchmarks.
import { extractModels } from '../core/extract';
import type { ModelGraph } from '../core/graph';
import { measureModel } from './measure';
import { BuildError } from './build';
import { TooManyParametersError } from './initializers';
import { TooManyLayersError } from './limits';
import { NOT_PROBED, type ProbeFileOptions, type ProbeProgress } from './protocol';
import type { ProbeFileResult, UnprobedModel } from '../core/gradientResult';

/** The models to probe, or an error a person can act on. */
export function selectModels(file: string, text: string, options: ProbeFileOptions): ModelGraph[] {
  const { models, problems } = extractModels(file, text, { yoloScale: options.yoloScale, yoloDialect: options.yoloDialect });
  if (models.length === 0) {
    const why = problems.filter((p) => p.severity === 'error').map((p) => p.message);
    throw new Error(`no model found in ${file}${why.length ? `: ${why.join('; ')}` : ''}`);
  }
  if (options.model === undefined) return models;
  const chosen = models.filter((m) => m.name === options.model);
  if (chosen.length === 0) {
    throw new Error(`no model named ${options.model} in ${file} (models: ${models.map((m) => m.name).join(', ')})`);
  }
  return chosen;
}

/**
 * Probes the given model graphs of `file` one after the other. `text` is the file's text
 * the graphs were read from (model.json models are then loaded by tfjs from it).
 */
export async function probeGraphs(
  file: string,
  graphs: ModelGraph[],
  options: ProbeFileOptions,
  onProgress?: (progress: ProbeProgress) => void,
  onNote?: (message: string) => void,
  text?: string,
): Promise<ProbeFileResult> {
  const models = [];
  const unprobed: UnprobedModel[] = [];
  for (const [modelIndex, graph] of graphs.entries()) {
    const report = (step: number, steps: number) =>
      onProgress?.({ model: graph.name, modelIndex, models: graphs.length, step, steps });
    report(0, options.steps);
    const note = (message: string) => onNote?.(graphs.length > 1 ? `${graph.name}: ${message}` : message);
    try {
      models.push(await measureModel(graph, options, report, note, text));
    } catch (err) {
      // One model the probe cannot build does not keep the file's other models from being probed.
      if (!(err instanceof BuildError || err instanceof TooManyParametersError || err instanceof TooManyLayersError) || graphs.length === 1) throw err;
      const why = err instanceof BuildError ? err.reason : err.message;
      unprobed.push({ model: graph.name, reason: why });
      note(`${NOT_PROBED}${why}`);
    }
  }
  if (models.length === 0) throw new Error(`no model of ${file} could be built: ${unprobed.map((u) => `${u.model}: ${u.reason}`).join('; ')}`);
  return unprobed.length ? { file, models, unprobed } : { file, models };
}
