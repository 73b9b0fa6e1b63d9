// Reusing the analysis of the models an edit left alone. A model is the same as one of the
// text linted before when its graph, with its positions mapped back over the edit, and the
// text of its span are the same: then its estimate and findings are the earlier ones, moved
// to the new positions. What a model depends on is in its graph (the layers an imported
// builder or a helper function adds, the sizes a constant gives), so an edit there makes it
// another model, analysed afresh.
import type { Layer, ModelGraph, ModelSource } from '../core/graph';
import type { ModelAnalysis, ModelMemo } from '../core/lint';
import { movedGraph } from './movedGraph';
import { mapRange, textShift, type PositionMap } from './textShift';

/** YAML rules read the file's text for their findings, and a YAML or model.json file holds one model: always analysed afresh. */
const REUSED: ReadonlySet<ModelSource> = new Set(['tfjs', 'pytorch', 'keras']);

interface Entry {
  model: ModelGraph;
  analysis: ModelAnalysis;
}

/** What identifies a model: its graph (positions and all) and the text of its span. */
const keyOf = (graph: ModelGraph, span: string): string => `${JSON.stringify(graph)}\n${span}`;

const spanOf = (model: ModelGraph, text: string): string => text.slice(model.range.start, model.range.end);

/** Each layer object of `before` paired with the one at the same place in `after` (graphs of one shape). */
function pairLayers(before: ModelGraph, after: ModelGraph, pairs = new Map<Layer, Layer>()): Map<Layer, Layer> {
  const pair = (a: Layer, b: Layer | undefined): void => {
    if (!b) return;
    pairs.set(a, b);
    if (a.wrapped) pair(a.wrapped, b.wrapped);
    if (a.model && b.model) pairLayers(a.model, b.model, pairs);
  };
  before.layers.forEach((l, i) => pair(l, after.layers[i]));
  before.unconnected?.forEach((l, i) => pair(l, after.unconnected?.[i]));
  return pairs;
}

/** The analysis of `entry` for `model`, its positions mapped by `forward`; undefined when one cannot be. */
function moved(entry: Entry, model: ModelGraph, forward: PositionMap): ModelAnalysis | undefined {
  const pairs = pairLayers(entry.model, model);
  const { estimate } = entry.analysis;
  const layers = estimate.layers.map((l) => {
    const layer = pairs.get(l.layer);
    return layer && { ...l, layer };
  });
  if (layers.some((l) => !l)) return undefined;
  const diagnostics: ModelAnalysis['diagnostics'] = [];
  for (const d of entry.analysis.diagnostics) {
    const range = mapRange(d.range, forward);
    const related = d.related.map((r) => {
      const at = mapRange(r.range, forward);
      return at && { ...r, range: at };
    });
    if (!range || related.some((r) => !r)) return undefined;
    diagnostics.push({ ...d, range, related: related as typeof d.related });
  }
  return { estimate: { ...estimate, model, layers: layers as typeof estimate.layers }, diagnostics, units: entry.analysis.units };
}

/** The analyses of one file's models in its last lint, handed to the next lint of the same file. */
export class ModelReuse implements ModelMemo {
  private before: string | undefined;
  private settings = '';
  private entries = new Map<string, Entry>();
  private next = new Map<string, Entry>();
  private text = '';
  private shift: { forward: PositionMap; back: PositionMap } | undefined;
  /** Models reused and analysed in the current lint (for tests and the log). */
  counts = { reused: 0, analysed: 0 };

  /** A lint of `text` starts, under `settings` (their key): models of the last lint under the same settings may be reused. */
  begin(text: string, settings: string): void {
    if (settings !== this.settings) this.entries.clear();
    this.settings = settings;
    this.text = text;
    this.shift = this.before !== undefined && this.entries.size ? textShift(this.before, text) : undefined;
    this.next = new Map();
    this.counts = { reused: 0, analysed: 0 };
  }

  /**
   * The lint ended: its models are what the next one may reuse. A text without models (most
   * often one with a syntax error, half typed) leaves those of the text before, for when the
   * error is repaired.
   */
  end(): void {
    if (this.next.size === 0 && this.counts.analysed === 0) return;
    this.entries = this.next;
    this.before = this.text;
  }

  recall(model: ModelGraph): ModelAnalysis | undefined {
    if (!this.shift || !REUSED.has(model.source)) return undefined;
    // The model as it was before the edit, if it was there: compared with the models of then.
    const before = movedGraph(model, this.shift.back);
    const entry = before && this.entries.get(keyOf(before, spanOf(model, this.text)));
    const analysis = entry && moved(entry, model, this.shift.forward);
    if (analysis) {
      this.counts.reused++;
      this.keep(model, analysis);
    }
    return analysis;
  }

  remember(model: ModelGraph, analysis: ModelAnalysis): void {
    this.counts.analysed++;
    if (REUSED.has(model.source)) this.keep(model, analysis);
  }

  private keep(model: ModelGraph, analysis: ModelAnalysis): void {
    this.next.set(keyOf(model, spanOf(model, this.text)), { model, analysis });
  }
}
