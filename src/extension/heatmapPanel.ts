// The heatmap beside the editor: one webview panel per probed model, reused when the
// model is probed again; restored after a window reload by the panel serializer from the
// page's own state. The page (media/heatmap) asks to reveal layers, re-run and export.
import * as path from 'path';
import * as vscode from 'vscode';
import type { HeatmapMessage, PanelMessage, ViewState } from '../../media/heatmap/messages';
import type { MetricId } from '../../media/heatmap/grid';
import { heatmapHtml, newNonce, type HeatmapPageData } from '../report/heatmapHtml';
import type { ProbeModelResult } from '../core/gradientResult';
import type { HealthThresholds, ModelTraits } from '../core/judge';

const HEATMAP_VIEW_TYPE = 'gradlint.heatmap';

export interface HeatmapRequest {
  uri: vscode.Uri;
  result: ProbeModelResult;
  /** The static estimate of the same model: the "predicted" column. */
  estimate?: ProbeModelResult;
  /** What the verdict needs from the model's graph. */
  traits?: ModelTraits;
  steps: number;
  seed: number;
  thresholds: HealthThresholds;
}

/** Probes the model again with the page's steps and seed, then calls showHeatmap. */
export type RerunHandler = (uri: vscode.Uri, model: string, options: { steps: number; seed: number }) => unknown;

/** What an open panel's page reported after it rendered (the integration suite reads it). */
export interface HeatmapReport {
  uri: string;
  model: string;
  metric: MetricId;
  rows: number;
  columns: number;
  verdict: string;
}

interface OpenPanel {
  panel: vscode.WebviewPanel;
  uri: vscode.Uri;
  model: string;
  report?: HeatmapReport;
}

const panels = new Map<string, OpenPanel>();
let rerunHandler: RerunHandler | undefined;

const keyOf = (uri: vscode.Uri, model: string) => `${uri.toString()}#${model}`;
const mediaRoot = (context: vscode.ExtensionContext) => vscode.Uri.joinPath(context.extensionUri, 'dist', 'media');

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [mediaRoot(context)] };
}

function render(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, data: HeatmapPageData): void {
  const webview = panel.webview;
  panel.title = `Gradients: ${data.models[0]?.result.name ?? data.file}`;
  panel.webview.html = heatmapHtml(data, {
    kind: 'webview',
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(context), 'heatmap.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(context), 'heatmap.css')).toString(),
  });
}

async function reveal(uri: vscode.Uri, line: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const l = doc.lineAt(Math.min(Math.max(line - 1, 0), doc.lineCount - 1));
  const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn;
  await vscode.window.showTextDocument(doc, {
    viewColumn: column ?? vscode.ViewColumn.One,
    selection: new vscode.Range(l.range.start.translate(0, l.firstNonWhitespaceCharacterIndex), l.range.end),
  });
}

async function saveExport(uri: vscode.Uri, message: Extract<HeatmapMessage, { type: 'export' }>): Promise<void> {
  const filters: Record<string, string[]> = { [message.format.toUpperCase()]: [message.format] };
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(uri, '..', path.basename(message.name)),
    filters,
    saveLabel: `Export ${message.format.toUpperCase()}`,
  });
  if (!target) return;
  const bytes = message.format === 'csv' ? Buffer.from(message.content, 'utf8') : Buffer.from(message.content, 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Gradlint: heatmap exported to ${vscode.workspace.asRelativePath(target)}.`);
}

async function rerun(open: OpenPanel, steps: number, seed: number): Promise<void> {
  const html = open.panel.webview.html;
  try {
    if (!rerunHandler) void vscode.window.showInformationMessage('Gradlint: re-run the probe from the editor (Gradlint: Probe gradients).');
    else await rerunHandler(open.uri, open.model, { steps, seed });
  } finally {
    // No new result replaced the page (failed, cancelled): give the button back.
    if (panels.get(keyOf(open.uri, open.model)) === open && open.panel.webview.html === html) {
      void open.panel.webview.postMessage({ type: 'rerun-finished' } satisfies PanelMessage);
    }
  }
}

function attach(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, uri: vscode.Uri, data: HeatmapPageData): OpenPanel {
  const model = data.models[0]?.result.name ?? '';
  const open: OpenPanel = { panel, uri, model };
  panels.set(keyOf(uri, model), open);
  panel.webview.options = webviewOptions(context);
  panel.onDidDispose(() => {
    if (panels.get(keyOf(uri, model)) === open) panels.delete(keyOf(uri, model));
  });
  panel.webview.onDidReceiveMessage((message: HeatmapMessage) => {
    const fail = (err: unknown) => vscode.window.showErrorMessage(`Gradlint heatmap: ${err instanceof Error ? err.message : String(err)}`);
    switch (message.type) {
      case 'rendered':
        open.report = { uri: uri.toString(), model: message.model, metric: message.metric, rows: message.rows, columns: message.columns, verdict: message.verdict };
        break;
      case 'reveal':
        reveal(uri, message.line).then(undefined, fail);
        break;
      case 'rerun':
        rerun(open, message.steps, message.seed).then(undefined, fail);
        break;
      case 'export':
        saveExport(uri, message).then(undefined, fail);
        break;
    }
  });
  render(context, panel, data);
  return open;
}

/** Shows a probe result: the model's open panel is reused, else one opens beside the editor. */
export function showHeatmap(context: vscode.ExtensionContext, request: HeatmapRequest): vscode.WebviewPanel {
  const data: HeatmapPageData = {
    run: newNonce(),
    uri: request.uri.toString(),
    file: vscode.workspace.asRelativePath(request.uri),
    models: [{ result: request.result, estimate: request.estimate, traits: request.traits }],
    steps: request.steps,
    seed: request.seed,
    thresholds: request.thresholds,
  };
  const existing = panels.get(keyOf(request.uri, request.result.name));
  if (existing) {
    existing.report = undefined;
    render(context, existing.panel, data);
    existing.panel.reveal(undefined, true);
    return existing.panel;
  }
  const panel = vscode.window.createWebviewPanel(HEATMAP_VIEW_TYPE, request.result.name, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context));
  return attach(context, panel, request.uri, data).panel;
}

/**
 * Call once in activate: restores heatmaps after a reload and lets their Re-run button
 * probe again. package.json needs the activation event `onWebviewPanel:gradlint.heatmap`.
 */
export function registerHeatmapSerializer(context: vscode.ExtensionContext, onRerun?: RerunHandler): vscode.Disposable {
  rerunHandler = onRerun;
  return vscode.window.registerWebviewPanelSerializer(HEATMAP_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ViewState | undefined) {
      const data = state?.data;
      if (!data?.uri || !Array.isArray(data.models)) {
        panel.dispose(); // nothing saved to show: a blank panel would only confuse
        return;
      }
      attach(context, panel, vscode.Uri.parse(data.uri), data);
    },
  });
}

/** The reports of the open panels' pages, once each has rendered. */
export function heatmapReports(): HeatmapReport[] {
  return [...panels.values()].flatMap((p) => (p.report ? [p.report] : []));
}
