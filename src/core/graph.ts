// The model graph: what every front end (tfjs code, model.json, YOLO YAML) produces and
// what the estimate, the rules, the fixes and the probe consume. Pure data, JSON-friendly.

/** A half-open span of character offsets into the analysed file's text. */
export interface Range {
  start: number;
  end: number;
}

/** A statically resolved configuration value (JSON-like). */
export type Value = number | string | boolean | null | Value[] | { [key: string]: Value };

/** An initialiser after resolution: tfjs camelCase id plus its explicit arguments. */
export interface InitializerSpec {
  [key: string]: Value;
  /** camelCase tfjs id: 'glorotNormal', 'heUniform', 'varianceScaling', 'zeros', 'constant', 'orthogonal', ... */
  name: string;
}

/** Where one configuration property of a layer is written in the source. */
export interface PropSource {
  /** The whole property (`key: value`, or the YAML argument). */
  range: Range;
  /** The value alone: what a fix replaces. */
  value: Range;
}

/**
 * One layer object (one set of weights). A layer applied several times (shared weights)
 * is one Layer with several GraphNodes pointing at it.
 */
export interface Layer {
  /** Unique within its model. */
  id: string;
  /** The name tfjs would give it (`dense_1`) or the explicit `name` config. */
  name: string;
  /**
   * tfjs factory name in camelCase ('dense', 'conv2d', 'lstm', 'batchNormalization', 'add', ...),
   * 'input' for inputs, 'model' for a nested model used as a layer, 'opaque' for custom layers.
   */
  kind: string;
  /**
   * Configuration with tfjs's defaults applied. Keys whose value could not be determined
   * statically are absent here and listed in `unknown`.
   */
  config: Record<string, Value>;
  /** Config keys that could not be resolved, each with a reason a person can read. */
  unknown: Record<string, string>;
  /** 1-based line of the construction. */
  line: number;
  /** The construction expression (`tf.layers.dense({...})`, a YAML row or its inner part, a JSON layer object). */
  range: Range;
  /** Where each explicitly written configuration property sits in the source. */
  props: Record<string, PropSource>;
  /**
   * The object literal holding the configuration (`{units: 8}`), where new properties go,
   * or the argument list's inside when there is no literal (`tf.layers.flatten()`).
   * Absent when the configuration cannot be edited (spread of an unknown object, JSON files).
   */
  configRange?: Range;
  /** For kind 'model': the nested model. */
  model?: ModelGraph;
  /** For wrappers (bidirectional, timeDistributed): the wrapped layer. */
  wrapped?: Layer;
  /** YOLO YAML only: 0-based row this layer belongs to. */
  row?: number;
  /** Why a layer is opaque or otherwise approximated, for messages. */
  note?: string;
}

/** One application of a layer: data flows from `inputs` into `layer`. */
export interface GraphNode {
  /** Unique within its model. */
  id: string;
  /** Layer.id applied here. */
  layer: string;
  /** Node ids feeding this application, in argument order (merge layers have several). */
  inputs: string[];
  /** For multi-output layers consumed by index (`const [, h, c] = lstm.apply(x)`): which output. */
  outputIndex?: number;
  /**
   * Added by the tfjs front end: parallel to `inputs`, which output of each input node feeds
   * this application (`decoder.apply(y, {initialState: [h, c]})` after `const [, h, c] =
   * lstm.apply(x)`). Present only when some input was taken by index.
   */
  inputOutputs?: number[];
}

/** A YOLO YAML row's bookkeeping (absent for tfjs models). */
export interface RowInfo {
  index: number;
  /** The module name as written (`C2f`, `nn.Upsample`). */
  module: string;
  /** `from` resolved to absolute row indices (-1 is the model input). */
  from: number[];
  repeats: number;
  /** Arguments after parse_model's rewriting. */
  args: Value[];
  /** Output channels. */
  channels: number;
  params: number;
  line: number;
  range: Range;
  /** Each written argument's range, by position. */
  argRanges: Range[];
  moduleRange: Range;
  /** A module of the project's own Python: the file and 1-based line of its class. */
  definedAt?: { file: string; line: number };
}

export type ModelSource = 'tfjs' | 'model.json' | 'yaml' | 'pytorch' | 'keras';

export interface ModelGraph {
  /** The variable, function or file that defines the model. */
  name: string;
  /** 1-based line of the definition. */
  line: number;
  range: Range;
  source: ModelSource;
  /** Layer objects in creation order. */
  layers: Layer[];
  /** Applications in topological order, input side first. */
  nodes: GraphNode[];
  /** Node ids of the model inputs (their layers have kind 'input'). */
  inputs: string[];
  /** Node ids whose outputs are the model outputs. */
  outputs: string[];
  /** Input shape without the batch dimension, where known (null entries: unknown dims). */
  inputShape?: (number | null)[];
  /** YOLO YAML only. */
  rows?: RowInfo[];
  /** Total parameter count: a YOLO YAML's; a PyTorch model's as its `parameters()` counts them, when every size is known statically. */
  params?: number;
  /** YOLO YAML only: rows whose module gradlint does not know, built as identity (their parameters are not counted). */
  unknownRows?: {
    rows: number[];
    modules: string[];
    /** Unknown modules found as classes in the project's Python (file and 1-based line) that could not be read into layers. */
    found?: { module: string; file: string; line: number }[];
    /** The project's Python files searched for them (absent when the host gave no way to read files). */
    searched?: string[];
  };
  /** Anything about the whole model that could not be known statically. */
  notes?: string[];
  /** tfjs code: the note (one of `notes`) saying why its outputs are not known statically. */
  outputsUnknown?: string;
  /**
   * tfjs code: layers applied to this model's tensors (directly or through each other)
   * whose outputs reach none of its outputs, nor any other model's. Not in `layers`.
   */
  unconnected?: Layer[];
  /** tfjs code: layers created beside this model, bound to a name nothing reads: never applied or added. Not in `layers`. */
  neverApplied?: Layer[];
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/**
 * What kind of problem, for code that decides on it (never the message text):
 * the analysis budget ran out, a size beyond any real model was clamped, gradlint itself failed.
 */
export type ProblemCode = 'analysis-stopped' | 'implausible-size' | 'internal-error';

/** Something the front end could not read (syntax error, bad row, cycle...). */
export interface Problem {
  message: string;
  range: Range;
  severity: ProblemSeverity;
  code?: ProblemCode;
}

/** What a front end returns for one file. It never throws. */
export interface ExtractResult {
  file: string;
  models: ModelGraph[];
  problems: Problem[];
}
