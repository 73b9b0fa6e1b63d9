// The heatmap page's script, in the VS Code webview and in the standalone file alike.
// Every string from the user's files (layer names, kinds, file names) goes into the page
// through textContent; nothing is parsed as markup.
import './heatmap.css';
import type { ProbeModelResult } from '../../src/core/gradientResult';
import type { HeatmapPageData } from '../../src/report/heatmapHtml';
import { colourScale, textOn, type ColourScale } from './colours';
import { drawHeatmap, heatmapCsv } from './exports';
import { buildGrid, decade, exact, log10, METRICS, place, tickLabel, type Grid, type MetricId } from './grid';
import type { HeatmapMessage, PanelMessage, ViewState } from './messages';
import { verdict } from './verdict';
import type { HealthThresholds } from '../../src/core/judge';


interface VsCodeApi {
  postMessage(message: HeatmapMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function readData(): HeatmapPageData {
  const json = document.getElementById('gradlint-heatmap-data')?.textContent ?? '';
  return JSON.parse(json) as HeatmapPageData;
}

function initialState(): ViewState {
  const data = readData();
  const saved = vscode?.getState();
  // Hide/show and reload keep the view of the same run; a re-run keeps only the metric.
  if (saved?.data.run === data.run) return { ...saved, data };
  return { data, model: 0, metric: saved?.metric ?? 'gradient', selected: 0 };
}

let state = initialState();

function save(): void {
  vscode?.setState(state);
}

/** Saves a file: through the extension's save dialog in VS Code, as a download elsewhere. */
function download(format: 'csv' | 'png', name: string, content: string, blob: Blob): void {
  if (vscode) {
    vscode.postMessage({ type: 'export', format, name, content });
    return;
  }
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

const safeName = (s: string): string => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'model';

function render(): void {
  const app = document.getElementById('app')!;
  const { data } = state;
  const entry = data.models[state.model];
  if (!entry) {
    app.replaceChildren(el('p', { className: 'empty' }, `No model to show in ${data.file}.`));
    app.setAttribute('aria-busy', 'false');
    return;
  }
  const { result, estimate, traits } = entry;
  const grid = buildGrid(result, estimate, state.metric);
  const scale = colourScale(grid.rows.flatMap((r) => r.values.map(log10)));
  const thresholds = data.thresholds;
  const v = verdict(result, estimate, thresholds, traits);
  const tooltip = el('div', { className: 'tooltip', role: 'tooltip', hidden: true });

  const banner = el('section', { className: `banner ${v.status}`, role: 'status' }, el('strong', { className: 'headline' }, v.sentences[0]));
  for (const s of v.sentences.slice(1)) banner.append(el('span', { className: 'detail' }, s));

  app.replaceChildren(
    el('header', {}, el('h1', {}, result.name), el('span', { className: 'meta' }, subtitle(data, result.backend))),
    banner,
    toolbar(grid),
    legend(grid, scale),
    el('p', { className: 'selection', id: 'selection', ariaLive: 'polite' }),
    el('div', { className: 'scroller' }, heatmapTable(grid, scale, tooltip, flowMarks(result, thresholds))),
    tooltip,
  );
  app.setAttribute('aria-busy', 'false');
  showSelection(grid);
  save();
  vscode?.postMessage({ type: 'rendered', model: result.name, metric: state.metric, rows: grid.rows.length, columns: grid.columns.length, verdict: v.sentences[0] });
}

function subtitle(data: HeatmapPageData, backend: string | undefined): string {
  const parts = [data.file];
  if (backend) parts.push(`backend ${backend}`);
  if (data.steps !== undefined) parts.push(`${data.steps} step(s)`);
  if (data.seed !== undefined) parts.push(`seed ${data.seed}`);
  return parts.join(' · ');
}

function numberInput(id: string, label: string, value: number, min: number): HTMLLabelElement {
  return el('label', {}, `${label} `, el('input', { id, type: 'number', min: String(min), step: '1', value: String(value) }));
}

function toolbar(grid: Grid): HTMLElement {
  const { data } = state;
  const bar = el('div', { className: 'toolbar', role: 'toolbar' });
  const metric = el('select', { id: 'metric', title: 'Metric shown by the colours' });
  for (const m of METRICS) metric.append(el('option', { value: m.id, selected: m.id === state.metric, title: m.describe }, m.label));
  metric.addEventListener('change', () => {
    state.metric = metric.value as MetricId;
    render();
    document.getElementById('metric')?.focus();
  });
  bar.append(el('label', {}, 'Metric ', metric));
  if (data.models.length > 1) {
    const model = el('select', { id: 'model' });
    data.models.forEach((m, i) => model.append(el('option', { value: String(i), selected: i === state.model }, m.result.name)));
    model.addEventListener('change', () => {
      state = { ...state, model: Number(model.value), selected: 0 };
      render();
    });
    bar.append(el('label', {}, 'Model ', model));
  }
  if (vscode) {
    bar.append(numberInput('steps', 'Steps', data.steps ?? Math.max(1, grid.columns.filter((c) => c.step !== undefined).length), 1));
    bar.append(numberInput('seed', 'Seed', data.seed ?? 0, 0));
    const rerun = el('button', { id: 'rerun', type: 'button' }, 'Re-run probe');
    rerun.addEventListener('click', () => {
      const steps = Math.max(1, Math.round(Number((document.getElementById('steps') as HTMLInputElement).value) || 1));
      const seed = Math.max(0, Math.round(Number((document.getElementById('seed') as HTMLInputElement).value) || 0));
      rerun.disabled = true;
      rerun.textContent = 'Probing…';
      vscode.postMessage({ type: 'rerun', model: data.models[state.model].result.name, steps, seed });
    });
    bar.append(rerun);
  }
  const png = el('button', { id: 'export-png', type: 'button' }, 'Export PNG');
  png.addEventListener('click', () => exportPng(grid));
  const csv = el('button', { id: 'export-csv', type: 'button' }, 'Export CSV');
  csv.addEventListener('click', () => {
    const { result, estimate } = data.models[state.model];
    const text = heatmapCsv(result, estimate);
    download('csv', `${safeName(result.name)}-gradients.csv`, text, new Blob([text], { type: 'text/csv' }));
  });
  bar.append(png, csv);
  return bar;
}

function cellText(log: number | null): string {
  if (log === null) return '—';
  return Number.isFinite(log) ? log.toFixed(1) : decade(log);
}

/**
 * Words next to the colours: layers whose step-0 gradient is below (above) the output
 * layer's by more than the depth-ratio thresholds starve (flood).
 */
function flowMarks(result: ProbeModelResult, t: HealthThresholds): string[] {
  return buildGrid(result, undefined, 'relative').rows.map((r) => {
    const log = log10(r.values[0] ?? null);
    if (log === null || Number.isNaN(log)) return '';
    if (log < t.vanishingDepthRatioLog10) return '▼ starves';
    return log > t.explodingDepthRatioLog10 ? '▲ floods' : '';
  });
}

function heatmapTable(grid: Grid, scale: ColourScale, tooltip: HTMLElement, marks: string[]): HTMLTableElement {
  const metricLabel = METRICS.find((m) => m.id === grid.metric)!.label;
  const table = el('table', { className: 'heatmap', id: 'heatmap' });
  table.setAttribute('aria-label', `log10 ${metricLabel} per layer and step`);
  const head = el('tr', {}, el('th', { scope: 'col' }, 'layer'), el('th', { scope: 'col' }, 'kind'), el('th', { scope: 'col' }, 'where'));
  for (const c of grid.columns) head.append(el('th', { scope: 'col', className: c.step === undefined ? 'predicted' : 'step' }, c.label));
  head.append(el('th', { scope: 'col', className: 'flow' }, 'gradient flow'));
  const body = el('tbody');
  grid.rows.forEach((r, i) => {
    const tr = el('tr', { tabIndex: i === state.selected ? 0 : -1, className: i === state.selected ? 'selected' : '' });
    tr.dataset.index = String(i);
    tr.append(el('th', { scope: 'row', className: 'name' }, r.layer.name), el('td', { className: 'kind' }, r.layer.kind === r.layer.name ? '' : r.layer.kind), el('td', { className: 'where' }, place(r.layer)));
    r.values.forEach((value, j) => {
      const log = log10(value);
      const td = el('td', { className: `cell${grid.columns[j].step === undefined ? ' predicted' : ''}` }, cellText(log));
      if (log !== null && !Number.isNaN(log)) {
        const fill = scale.colour(log);
        td.style.backgroundColor = fill;
        td.style.color = textOn(fill);
      } else {
        td.classList.add(log === null ? 'none' : 'nan');
      }
      const exactText = `${r.layer.name} · ${grid.columns[j].label}: ${metricLabel} ${value === null ? (r.layer.gradientRms === null ? 'none (no kernel weights)' : 'not available') : `${exact(value)} (${decade(log!)})`}`;
      td.setAttribute('aria-label', exactText);
      td.addEventListener('mouseenter', () => {
        tooltip.textContent = exactText;
        tooltip.hidden = false;
      });
      td.addEventListener('mousemove', (e) => {
        tooltip.style.left = `${e.clientX + 14}px`;
        tooltip.style.top = `${e.clientY + 14}px`;
      });
      td.addEventListener('mouseleave', () => (tooltip.hidden = true));
      tr.append(td);
    });
    tr.append(el('td', { className: 'flow' }, marks[i]));
    tr.addEventListener('click', () => select(grid, i, true));
    body.append(tr);
  });
  table.append(el('thead', {}, head), body);
  table.addEventListener('keydown', (e) => onKey(grid, e));
  return table;
}

function onKey(grid: Grid, e: KeyboardEvent): void {
  const last = grid.rows.length - 1;
  const moves: Record<string, number> = { ArrowDown: state.selected + 1, ArrowUp: state.selected - 1, Home: 0, End: last, PageDown: state.selected + 10, PageUp: state.selected - 10 };
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    select(grid, state.selected, true);
  } else if (e.key in moves) {
    e.preventDefault();
    select(grid, Math.min(last, Math.max(0, moves[e.key])), false);
  }
}

/** Moves the focus (roving tabindex); `reveal` also shows the layer in the editor. */
function select(grid: Grid, index: number, reveal: boolean): void {
  state.selected = index;
  const rows = document.querySelectorAll<HTMLTableRowElement>('#heatmap tbody tr');
  rows.forEach((tr, i) => {
    tr.tabIndex = i === index ? 0 : -1;
    tr.classList.toggle('selected', i === index);
  });
  rows[index]?.focus();
  showSelection(grid);
  save();
  const layer = grid.rows[index].layer;
  if (reveal) vscode?.postMessage({ type: 'reveal', line: layer.line, row: layer.row, layer: layer.name });
}

function showSelection(grid: Grid): void {
  const row = grid.rows[state.selected];
  const out = document.getElementById('selection');
  if (!row || !out) return;
  const values = row.values.map((v, j) => `${grid.columns[j].label} ${v === null ? '—' : exact(v)}`).join(', ');
  const kind = row.layer.kind === row.layer.name ? '' : `${row.layer.kind}, `;
  out.textContent = `${row.layer.name} (${kind}${place(row.layer)}): ${values}.${vscode ? ' Enter or click shows it in the editor.' : ''}`;
}

function legend(grid: Grid, scale: ColourScale): HTMLElement {
  const [lo, hi] = scale.domain;
  const bar = el('canvas', { className: 'bar', width: 400, height: 1 });
  const ctx = bar.getContext('2d');
  for (let px = 0; px < bar.width && ctx; px++) {
    ctx.fillStyle = scale.colour(lo + ((hi - lo) * px) / (bar.width - 1));
    ctx.fillRect(px, 0, 1, 1);
  }
  const ticks = el('div', { className: 'ticks' });
  for (const t of scale.ticks) {
    const tick = el('span', { className: 'tick' }, tickLabel(t));
    tick.style.left = `${((t - lo) / (hi - lo)) * 100}%`;
    ticks.append(tick);
  }
  const metricLabel = METRICS.find((m) => m.id === grid.metric)!.label;
  return el(
    'figure',
    { className: 'legend', id: 'legend' },
    el('figcaption', {}, `log10 ${metricLabel}, one decade per tick`),
    el('div', { className: 'scale' }, bar, ticks),
    el('span', { className: 'none-key' }, '— no kernel weights'),
  );
}

function exportPng(grid: Grid): void {
  const { result, estimate, traits } = state.data.models[state.model];
  const scale = colourScale(grid.rows.flatMap((r) => r.values.map(log10)));
  const css = getComputedStyle(document.body);
  const canvas = document.createElement('canvas');
  const heading = [`${result.name} — ${state.data.file}`, ...verdict(result, estimate, state.data.thresholds, traits).sentences];
  drawHeatmap(canvas, grid, scale, heading, {
    background: css.backgroundColor,
    foreground: css.color,
    muted: css.getPropertyValue('--gl-muted').trim() || css.color,
    font: css.fontFamily,
  });
  const name = `${safeName(result.name)}-heatmap.png`;
  const dataUrl = canvas.toDataURL('image/png');
  canvas.toBlob((blob) => blob && download('png', name, dataUrl.slice(dataUrl.indexOf(',') + 1), blob), 'image/png');
}

window.addEventListener('message', (e: MessageEvent<PanelMessage>) => {
  // A re-run that failed or was cancelled leaves this run on screen: offer the button again.
  if (e.data?.type === 'rerun-finished') {
    const rerun = document.getElementById('rerun') as HTMLButtonElement | null;
    if (rerun) {
      rerun.disabled = false;
      rerun.textContent = 'Re-run probe';
    }
  }
});

render();
