// What the heatmap page and the extension's panel say to each other.
import type { HeatmapPageData } from '../../src/report/heatmapHtml';
import type { MetricId } from './grid';

/** Page to extension (outside VS Code nothing listens). */
export type HeatmapMessage =
  | { type: 'rendered'; model: string; metric: MetricId; rows: number; columns: number; verdict: string }
  | { type: 'reveal'; line: number; row: number | null; layer: string }
  | { type: 'rerun'; model: string; steps: number; seed: number }
  /** content: the CSV text, or the PNG as base64. */
  | { type: 'export'; format: 'csv' | 'png'; name: string; content: string };

/** Extension to page: a re-run ended without a new result. */
export type PanelMessage = { type: 'rerun-finished' };

/** The page's webview state (getState/setState); the panel serializer reopens from it. */
export interface ViewState {
  data: HeatmapPageData;
  model: number;
  metric: MetricId;
  selected: number;
}
