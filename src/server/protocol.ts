// What gradlint's language server adds to LSP, shared by the server and the VS Code client.
// Plain method names and shapes: the extension imports this without loading the analyser.
import type { ModelGraph } from '../core/graph';
import type { HealthThresholds, ModelTraits } from '../core/judge';
import type { Dialect } from '../core/yaml/dialect';

/** Server → client, before an analysis starts: the client's watchdog times it from here. */
export const ANALYSING = 'gradlint/analysing';
/** Server → client, when that analysis is over (whatever its outcome). */
export const ANALYSED = 'gradlint/analysed';
/** Server → client after each lint: whether the document was left alone, and why (only a size skip is shown to people). */
export const SKIPPED = 'gradlint/skipped';
/** Client → server request: lint a file that may not be open (Lint workspace). */
export const LINT_FILE = 'gradlint/lintFile';
/** Server → client request: a Python notebook cell's prelude (the Python code cells above it), or null. */
export const CELL_PRELUDE = 'gradlint/cellPrelude';
/** Client → server: these documents' reading changed though their text did not (a cell above them was edited). */
export const RELINT = 'gradlint/relint';
/** Client → server request: what the probe needs of a document's current analysis. */
export const PROBE_CONTEXT = 'gradlint/probeContext';

export interface AnalysingParams {
  uri: string;
  version: number;
}

export interface SkipReason {
  kind: 'not-a-model' | 'dependency' | 'too-large' | 'scheme' | 'disabled' | 'too-slow';
  message: string;
}

export interface SkippedParams {
  uri: string;
  /** Undefined: the document was analysed. */
  reason?: SkipReason;
}

export interface LintFileParams {
  uri: string;
  text: string;
}

/** `diagnostics` are LSP diagnostics; `skipped` says why there are none. */
export interface LintFileResult {
  skipped?: SkipReason;
  diagnostics: unknown[];
}

/** A model's name and where it and its layers and rows are, as offsets into the analysed text. */
export interface ModelAnchor {
  name: string;
  range: { start: number; end: number };
  layers: { name: string; range: { start: number; end: number } }[];
  rows?: { range: { start: number; end: number } }[];
}

export interface ProbeContext {
  /** The path the document was analysed under (the probe reads the text as that kind of file). */
  file: string;
  /** The document version the analysis is of. */
  version: number;
  /** The YOLO scale the settings ask for, if any. */
  yoloScale?: string;
  models: ModelAnchor[];
  /** The static estimate of each model in the probe's shape (ProbeModelResult), by model name. */
  estimates: Record<string, unknown>;
  /** The YOLO dialect the settings ask for, if any. */
  yoloDialect?: Dialect;
  /** The judgement's thresholds in force, for judging the probe's numbers the same way. */
  judgement: HealthThresholds;
  /** What the judgement of a measurement needs of each model (its normalisation, its head), by name. */
  traits: Record<string, ModelTraits>;
  /** A Python notebook cell (read after its prelude): the graphs the probe builds, since its text alone does not define them. */
  graphs?: ModelGraph[];
}

/** What the client says about itself at start-up (LSP initializationOptions). */
export interface InitializationOptions {
  /** Documents (uri and version) that ran past the watchdog: left alone until they change. */
  tooSlow?: AnalysingParams[];
  /** The client has the `gradlint.probeGradients` command: offer the "Probe gradients" CodeLens. */
  probeCodeLens?: boolean;
  /** The client answers CELL_PRELUDE (it knows the notebooks cells belong to). */
  cellPrelude?: boolean;
}

export const PROBE_COMMAND = 'gradlint.probeGradients';
