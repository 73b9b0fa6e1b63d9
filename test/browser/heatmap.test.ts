// The standalone heatmap page in headless Chromium (Debian's, driven by playwright-core),
// rendered from recorded probe results: what a person sees, clicks and exports.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { colourScale } from '../../media/heatmap/colours';
import { buildGrid, log10, type MetricId } from '../../media/heatmap/grid';
import type { ProbeFileResult } from '../../src/core/gradientResult';
import { renderStandaloneHeatmap } from '../../src/report/heatmapHtml';
import { healthThresholds } from '../../src/core/judge';
import { DEFAULT_CONFIG } from '../../src/lint/index';

const root = path.join(__dirname, '../..');
const artifacts = path.join(root, '.artifacts');
const fixture = (name: string): ProbeFileResult =>
  JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/probe-results', name), 'utf8')) as ProbeFileResult;

const sigmoid = fixture('sigmoid-mlp.json');
const sigmoidEstimate = fixture('sigmoid-mlp.estimate.json');

/** The colour the page must give a cell: the same d3 scale over the same grid. */
function expectedColour(result: ProbeFileResult, estimate: ProbeFileResult, metric: MetricId, row: number, column: number): string {
  const grid = buildGrid(result.models[0], estimate.models[0], metric);
  const scale = colourScale(grid.rows.flatMap((r) => r.values.map(log10)));
  const hex = scale.colour(log10(grid.rows[row].values[column])!);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe('heatmap page (headless Chromium)', function () {
  let browser: Browser;
  let dir: string;

  before(async function () {
    // The page inlines the webview bundle; build it as esbuild.js does.
    await esbuild.build({
      entryPoints: [path.join(root, 'media/heatmap/main.ts')],
      outfile: path.join(root, 'dist/media/heatmap.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'warning',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlint-heatmap-'));
    fs.mkdirSync(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async function () {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the page from a file:// URL, as someone opening `gradlint probe --html` output would. */
  async function open(result: ProbeFileResult, estimate?: ProbeFileResult, colorScheme: 'light' | 'dark' = 'light') {
    const file = path.join(dir, `page-${Math.random().toString(36).slice(2)}.html`);
    fs.writeFileSync(file, renderStandaloneHeatmap(result, estimate, { thresholds: healthThresholds(DEFAULT_CONFIG.thresholds) }));
    return openFile(file, colorScheme);
  }

  async function openFile(file: string, colorScheme: 'light' | 'dark' = 'light') {
    const context = await browser.newContext({ colorScheme, acceptDownloads: true, viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    const problems: string[] = [];
    let dialogs = 0;
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('#app[aria-busy="false"]');
    return { page, problems, dialogs: () => dialogs };
  }

  const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));

  it('shows one row per layer, one column per step plus the prediction, and the verdict', async function () {
    const { page, problems } = await open(sigmoid, sigmoidEstimate);
    assert.deepStrictEqual(await texts(page, '#heatmap tbody th.name'), ['dense_1', 'dense_2', 'dense_3', 'dense_4', 'dense_5', 'dense_6', 'dense_7', 'dense_8', 'dense_9']);
    assert.deepStrictEqual(await texts(page, '#heatmap thead th'), ['layer', 'kind', 'where', 'step 0', 'step 1', 'step 2', 'step 3', 'predicted', 'gradient flow']);
    // dense_1..dense_4 get less than 10^-3 of the output layer's gradient.
    assert.deepStrictEqual((await texts(page, '#heatmap tbody td.flow')).map((t, i) => t && `${i + 1}:${t}`).filter(Boolean), ['1:▼ starves', '2:▼ starves', '3:▼ starves', '4:▼ starves']);
    assert.strictEqual((await page.$$('#heatmap tbody tr:first-child td.cell')).length, 5);
    assert.deepStrictEqual(await texts(page, '#heatmap tbody tr:first-child td.where'), ['line 7']);
    assert.strictEqual(
      await page.textContent('.banner .headline'),
      "Gradients vanish: dense_1 receives 10^-5.7 of the output layer's gradient (predicted 10^-5.8).",
    );
    assert.match((await page.textContent('.banner'))!, /dense_1's gradient RMS is 10\^-7\.0, below 10\^-6\.0\./);
    assert.deepStrictEqual(problems, []);
    await page.context().close();
  });

  it('colours a cell from viridis by its decade and shows the legend in decades', async function () {
    const { page } = await open(sigmoid, sigmoidEstimate);
    const first = await page.$eval('#heatmap tbody tr:first-child td.cell', (td) => [getComputedStyle(td).backgroundColor, td.textContent]);
    assert.deepStrictEqual(first, [expectedColour(sigmoid, sigmoidEstimate, 'gradient', 0, 0), '-7.0']);
    const last = await page.$eval('#heatmap tbody tr:last-child td.cell', (td) => getComputedStyle(td).backgroundColor);
    assert.strictEqual(last, expectedColour(sigmoid, sigmoidEstimate, 'gradient', 8, 0));
    assert.notStrictEqual(first[0], last);
    assert.deepStrictEqual(await texts(page, '#legend .tick'), ['10^-8', '10^-7', '10^-6', '10^-5', '10^-4', '10^-3', '10^-2', '10^-1']);
    assert.strictEqual(await page.textContent('#legend figcaption'), 'log10 gradient RMS, one decade per tick');
    await page.context().close();
  });

  it('switches the metric', async function () {
    const { page } = await open(sigmoid, sigmoidEstimate);
    await page.selectOption('#metric', 'activation');
    assert.strictEqual(await page.textContent('#legend figcaption'), 'log10 activation RMS, one decade per tick');
    const cell = await page.$eval('#heatmap tbody tr:nth-child(3) td.cell', (td) => getComputedStyle(td).backgroundColor);
    assert.strictEqual(cell, expectedColour(sigmoid, sigmoidEstimate, 'activation', 2, 0));
    await page.selectOption('#metric', 'relative');
    assert.deepStrictEqual(await texts(page, '#heatmap tbody tr:last-child td.cell'), ['0.0', '0.0', '0.0', '0.0', '0.0']);
    assert.deepStrictEqual((await texts(page, '#heatmap tbody tr:first-child td.cell'))[0], '-5.7');
    await page.context().close();
  });

  it('renders a layer named like markup as text, and runs none of it', async function () {
    const hostile = structuredClone(sigmoid);
    const name = '<img src=x onerror=alert(1)>';
    hostile.models[0].layers[0].name = name;
    hostile.models[0].layers[1].kind = '</script><script>alert(2)</script>';
    hostile.file = '"><svg onload=alert(3)>.js';
    const { page, problems, dialogs } = await open(hostile, sigmoidEstimate);
    assert.strictEqual(await page.textContent('#heatmap tbody th.name'), name);
    assert.strictEqual(await page.textContent('#heatmap tbody tr:nth-child(2) td.kind'), '</script><script>alert(2)</script>');
    assert.match((await page.textContent('.banner .headline'))!, /^Gradients vanish: <img src=x onerror=alert\(1\)> receives/);
    assert.match((await page.textContent('header .meta'))!, /"><svg onload=alert\(3\)>\.js/);
    assert.strictEqual(await page.$$eval('img, svg', (els) => els.length), 0);
    await page.waitForTimeout(200);
    assert.strictEqual(dialogs(), 0);
    assert.deepStrictEqual(problems, []);
    await page.context().close();
  });

  it('says when gradients and activations explode, and marks non-finite cells', async function () {
    const exploding = structuredClone(sigmoid);
    const model = exploding.models[0];
    // Reverse the vanishing profile: the input side now gets 10^5.7 of the output's gradient.
    const gradients = model.layers.map((l) => l.gradientRms!);
    model.layers.forEach((l, i) => (l.gradientRms = gradients[gradients.length - 1 - i].map((g) => g * 1e4)));
    model.depthRatioLog10 = null;
    model.layers[4].activationRms = [2500, NaN, NaN, NaN];
    const { page } = await open(exploding);
    assert.deepStrictEqual(await texts(page, '.banner > *'), [
      "Training diverged: dense_5's activation RMS is not finite at step 1.",
      "Gradients explode: dense_1 receives 10^5.7 times the output layer's gradient.",
      'Activations explode: dense_5 outputs RMS 10^3.4, above 10^3.0.',
    ]);
    await page.selectOption('#metric', 'activation');
    assert.deepStrictEqual(await texts(page, '#heatmap tbody tr:nth-child(5) td.cell'), ['3.4', 'NaN', 'NaN', 'NaN']);
    // Only dense_1 gets more than 10^5 of the output layer's gradient (dense_2: 10^4.7).
    assert.deepStrictEqual(await texts(page, '#heatmap tbody td.flow'), ['▲ floods', '', '', '', '', '', '', '', '']);
    await page.context().close();
  });

  it('moves between rows by keyboard and shows the exact values of the focused one', async function () {
    const { page } = await open(sigmoid, sigmoidEstimate);
    await page.focus('#heatmap tbody tr:first-child');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.strictEqual(await page.evaluate(() => document.activeElement?.querySelector('th')?.textContent), 'dense_3');
    assert.match((await page.textContent('#selection'))!, /^dense_3 \(dense, line 9\): step 0 1\.625e-6, step 1 /);
    await page.keyboard.press('End');
    assert.strictEqual(await page.evaluate(() => document.activeElement?.querySelector('th')?.textContent), 'dense_9');
    await page.keyboard.press('ArrowDown');
    assert.strictEqual(await page.evaluate(() => document.activeElement?.querySelector('th')?.textContent), 'dense_9');
    await page.keyboard.press('Home');
    assert.strictEqual(await page.$$eval('#heatmap tbody tr[tabindex="0"]', (rows) => rows.map((r) => r.querySelector('th')!.textContent)).then((r) => r.join()), 'dense_1');
    await page.context().close();
  });

  it('shows exact values on hover', async function () {
    const { page } = await open(sigmoid, sigmoidEstimate);
    await page.hover('#heatmap tbody tr:first-child td.cell');
    assert.strictEqual(await page.textContent('.tooltip'), 'dense_1 · step 0: gradient RMS 9.176e-8 (10^-7.0)');
    assert.strictEqual(await page.isVisible('.tooltip'), true);
    await page.context().close();
  });

  it('exports CSV with every metric and PNG', async function () {
    const { page } = await open(sigmoid, sigmoidEstimate);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    assert.strictEqual(csv.suggestedFilename(), 'buildSigmoidMlp-gradients.csv');
    const lines = fs.readFileSync((await csv.path())!, 'utf8').trim().split('\n');
    assert.strictEqual(lines.length, 10);
    assert.match(lines[0], /^layer,kind,line,row,gradient_rms_0,gradient_rms_1,gradient_rms_2,gradient_rms_3,gradient_rms_predicted,activation_rms_0,/);
    const dense1 = sigmoid.models[0].layers[0];
    assert.ok(lines[1].startsWith(`dense_1,dense,7,,${dense1.gradientRms![0]},${dense1.gradientRms![1]},`), lines[1]);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const bytes = fs.readFileSync((await png.path())!);
    assert.deepStrictEqual([...bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.ok(bytes.length > 10_000, `PNG of ${bytes.length} bytes`);
    await page.context().close();
  });

  it('labels YAML rows by row and line and keeps layers without kernels visible', async function () {
    const { page } = await open(fixture('yolov8n.json'), fixture('yolov8n.estimate.json'));
    assert.strictEqual((await page.$$('#heatmap tbody tr')).length, 23);
    assert.deepStrictEqual((await texts(page, '#heatmap tbody td.where')).slice(0, 2), ['row 0 · line 7', 'row 1 · line 8']);
    assert.deepStrictEqual(await texts(page, '#heatmap tbody tr:nth-child(11) td.cell'), ['—', '—', '—']);
    assert.match((await page.textContent('.banner .headline'))!, /^Gradients flow: Conv receives 10\^2\.0 times the output layer's gradient \(predicted 10\^2\.5\)/);
    await page.context().close();
  });

  it('is what `gradlint probe FILE --html out.html` writes, with the estimate as the predicted column', async function () {
    const out = path.join(dir, 'vanishing.html');
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), 'src/cli/main.ts', 'probe', 'examples/rules/vanishing-gradient.js', '--steps', '2', '--backend', 'cpu', '--html', out], { cwd: root, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stderr, /heatmap written to .*vanishing\.html/);
    const html = fs.readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no remote resources');
    assert.doesNotMatch(html, /unsafe-inline/);
    const { page, problems } = await openFile(out);
    assert.strictEqual((await page.$$('#heatmap tbody tr')).length, 9);
    assert.deepStrictEqual((await texts(page, '#heatmap thead th')).slice(3, 6), ['step 0', 'step 1', 'predicted']);
    assert.match((await page.textContent('.banner .headline'))!, /^Gradients vanish: dense_1 receives 10\^-5\.\d of the output layer's gradient \(predicted 10\^-5\.\d\)\.$/);
    assert.deepStrictEqual(problems, []);
    await page.context().close();
  });

  it('saves screenshots in light and dark theme', async function () {
    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await open(sigmoid, sigmoidEstimate, scheme);
      const bg = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
      assert.strictEqual(bg, scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(30, 30, 30)');
      const file = path.join(artifacts, `heatmap-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 10_000);
      await page.context().close();
    }
  });
});
