// Messages between runProbe (./run.ts, in the extension host or the CLI) and the probe
// worker (./worker.ts, a child process). JSON-serialisable.
import type { ModelGraph } from '../core/graph';
import type { BackendName, ProbeFileResult } from '../core/gradientResult';
import type { ProbeOptions } from './types';
import type { Dialect } from '../core/yaml/dialect';

/**
 * Models with more parameters are refused before they are built. Here, not in measure.ts,
 * so that the CLI can show it without bundling tfjs.
 */
export const DEFAULT_MAX_PARAMETERS = 1e8;
/** Layers the probe builds at most (tfjs builds and differentiates recursively: 10,000 overflow its stack). */
export const DEFAULT_MAX_LAYERS = 4000;

/** Begins the note on a model of the file that could not be built (the others were probed). */
export const NOT_PROBED = 'not probed: ';

/** What to probe in a file: the contract's options plus which model and how to read the file. */
export interface ProbeFileOptions extends ProbeOptions {
  /** Only the model with this name (default: every model in the file). */
  model?: string;
  /** YOLO scale letter when the file name carries none. */
  yoloScale?: string;
  /** YOLO YAML dialect when the settings force one (else recognised from the file). */
  yoloDialect?: Dialect;
}

export interface ProbeProgress {
  model: string;
  /** 0-based index of the model being probed, and how many will be. */
  modelIndex: number;
  models: number;
  /** Steps done for this model, and its total. */
  step: number;
  steps: number;
}

export type ToWorker = {
  type: 'start';
  file: string;
  /** The file's text, read with the front ends; or the graphs already read (`graphs`). */
  text: string;
  graphs?: ModelGraph[];
  options: ProbeFileOptions;
  /** The workspace's node_modules, searched for tfjs-node (trusted workspaces only). */
  workspaceNodeModules?: string;
};

export type FromWorker =
  | { type: 'started'; backend: BackendName; notes: string[] }
  | ({ type: 'progress' } & ProbeProgress)
  /** `notes`: why better backends were skipped, and how the models were built where the graph left things open. */
  | { type: 'result'; result: ProbeFileResult; notes: string[] }
  | { type: 'error'; message: string };
