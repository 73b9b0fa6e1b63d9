// The heatmap page: one HTML builder for the VS Code webview (script and CSS loaded from
// the extension's dist/media through webview URIs) and for the standalone file that
// `gradlint probe --html` writes (script and CSS inlined, so it opens offline). Both carry
// a Content-Security-Policy whose scripts need a nonce; the data travels as JSON in a
// non-executed script element and is rendered with DOM APIs, never as markup.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { HealthThresholds, ModelTraits } from '../core/judge';
import type { ProbeFileResult, ProbeModelResult } from '../core/gradientResult';

export interface HeatmapModel {
  result: ProbeModelResult;
  /** The static estimate of the same model: the "predicted" column. */
  estimate?: ProbeModelResult;
  /** What the verdict needs from the model's graph (its normalisation, its head), when known. */
  traits?: ModelTraits;
}

/** Everything the page renders; also what the webview keeps in its state. */
export interface HeatmapPageData {
  /** New for every probe run: a page's saved view (metric, selection) belongs to one run. */
  run: string;
  /** The file's URI in VS Code: where rows are revealed and what a restored panel reopens. */
  uri?: string;
  /** The file as shown to people. */
  file: string;
  models: HeatmapModel[];
  /** The probe's settings, offered for a re-run in VS Code. */
  steps?: number;
  seed?: number;
  /** The thresholds in force (the rules declare their defaults). */
  thresholds: HealthThresholds;
}

export type HeatmapAssets =
  | { kind: 'webview'; cspSource: string; scriptUri: string; styleUri: string }
  | { kind: 'standalone'; script: string; style: string };

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that cannot close its script element: every '<' becomes \u003c. */
const scriptJson = (data: unknown): string => JSON.stringify(data).replace(/</g, '\\u003c');

/** Inlined code must not contain the closing tag of its own element. */
const inlineSafe = (code: string, tag: 'script' | 'style'): string => code.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function heatmapHtml(data: HeatmapPageData, assets: HeatmapAssets, nonce = newNonce()): string {
  const title = `Gradient heatmap: ${data.models.map((m) => m.result.name).join(', ') || data.file}`;
  const csp =
    assets.kind === 'webview'
      ? `default-src 'none'; img-src ${assets.cspSource} data: blob:; style-src ${assets.cspSource}; script-src 'nonce-${nonce}';`
      : `default-src 'none'; img-src data: blob:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  const style =
    assets.kind === 'webview'
      ? `<link rel="stylesheet" href="${escapeHtml(assets.styleUri)}">`
      : `<style nonce="${nonce}">${inlineSafe(assets.style, 'style')}</style>`;
  const script =
    assets.kind === 'webview'
      ? `<script nonce="${nonce}" src="${escapeHtml(assets.scriptUri)}"></script>`
      : `<script nonce="${nonce}">${inlineSafe(assets.script, 'script')}</script>`;
  return `<!DOCTYPE html>
<html lang="en" data-host="${assets.kind}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${style}
</head>
<body>
<main id="app" aria-busy="true"></main>
<script type="application/json" id="gradlint-heatmap-data" nonce="${nonce}">${scriptJson(data)}</script>
${script}
</body>
</html>
`;
}

/** Where the built webview bundle lies: next to the CLI bundle, or in dist/ from the sources. */
function mediaFile(name: string): string {
  const candidates = [path.join(__dirname, 'media', name), path.join(__dirname, '../../dist/media', name)];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`the heatmap's ${name} is missing (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

/** A standalone page has no map file beside it to point at. */
const withoutSourceMap = (code: string): string => code.replace(/^\/[/*]# sourceMappingURL=.*$/gm, '');

/** Pairs each probed model with the estimate of the same name. */
function pairModels(result: ProbeFileResult, estimate?: ProbeFileResult, traits: Record<string, ModelTraits> = {}): HeatmapModel[] {
  return result.models.map((m) => ({ result: m, estimate: estimate?.models.find((e) => e.name === m.name), traits: traits[m.name] }));
}

/** A self-contained page (no network, no VS Code) showing every model of the result. */
export function renderStandaloneHeatmap(
  result: ProbeFileResult,
  estimate: ProbeFileResult | undefined,
  options: { thresholds: HealthThresholds; traits?: Record<string, ModelTraits> },
): string {
  const data: HeatmapPageData = { run: newNonce(), file: result.file, models: pairModels(result, estimate, options.traits), thresholds: options.thresholds };
  const assets: HeatmapAssets = {
    kind: 'standalone',
    script: withoutSourceMap(fs.readFileSync(mediaFile('heatmap.js'), 'utf8')),
    style: withoutSourceMap(fs.readFileSync(mediaFile('heatmap.css'), 'utf8')),
  };
  return heatmapHtml(data, assets);
}
