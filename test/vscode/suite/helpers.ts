// Shared steps of the integration tests: open a fixture, wait for what a user would see.
import * as vscode from 'vscode';
import type { GradlintApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'gradlint.gradlint';

export function fixtureUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

export async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relative));
  // Opening a model file activates gradlint; providers answer only once it is active.
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Opens a document and waits until gradlint has linted it, or left it alone: its diagnostics
 * (none, for a file gradlint skips) are then final until it changes.
 */
export async function openLinted(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const api = await vscode.extensions.getExtension<GradlintApi>(EXTENSION_ID)!.activate();
  const linted = new Promise<void>((resolve) => {
    const listener = api.onDidLint((u) => {
      if (u.toString() !== uri.toString()) return;
      listener.dispose();
      resolve();
    });
  });
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  await linted;
  return editor;
}

export function gradlintDiagnostics(uri: vscode.Uri, source = 'gradlint'): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
}

export function ruleId(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Resolves with the diagnostics once `accept` holds for them; rejects after `timeoutMs`. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20_000,
  source = 'gradlint',
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const current = gradlintDiagnostics(uri, source);
      if (!accept(current)) return false;
      cleanup();
      resolve(current);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      const seen = gradlintDiagnostics(uri, source).map((d) => `${ruleId(d)} ${d.range.start.line + 1}: ${d.message}`);
      reject(new Error(`timed out waiting for ${what} in ${uri.path}; diagnostics: ${JSON.stringify(seen)}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      listener.dispose();
    };
    check();
  });
}

export const withRule = (id: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => ruleId(d) === id);
export const withoutRule = (id: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => ruleId(d) === id);

export function find(ds: vscode.Diagnostic[], id: string): vscode.Diagnostic {
  const d = ds.find((x) => ruleId(x) === id);
  if (!d) throw new Error(`no ${id} diagnostic among ${ds.map(ruleId).join(', ') || 'none'}`);
  return d;
}

/** The "Probe gradients" CodeLenses: their presence shows that the document was analysed. */
export async function probeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((l) => l.command?.command === 'gradlint.probeGradients');
}

/** Polls `probe` until it returns something; rejects after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  for (let waited = 0; waited <= timeoutMs; waited += 200) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sets a workspace setting for the duration of `body`, then restores it. */
export async function withSetting<T>(section: string, key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration(section);
  const before = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration(section).update(key, before, vscode.ConfigurationTarget.Workspace);
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Discards unsaved changes of a document so the next test sees the fixture as written. */
export async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? []);
}

let uiRequestCount = 0;

type UiRequest = { screenshot: true } | { notification: string; button?: string } | { webview: string; fill?: string } | { quickInput: true };

/**
 * Has the harness (test/vscode/run.js) do in the window what a user would; rejects with its
 * reason when it cannot.
 */
async function uiRequest(request: UiRequest, what: string): Promise<void> {
  const dir = process.env.GRADLINT_UI_REQUESTS;
  if (!dir) throw new Error(`${what} needs the offline harness (test/vscode/run.js)`);
  const fs = await import('fs');
  const path = await import('path');
  const id = path.join(dir, `request-${++uiRequestCount}`);
  fs.writeFileSync(`${id}.request.json`, JSON.stringify(request));
  for (let waited = 0; !fs.existsSync(`${id}.done`); waited += 100) {
    if (waited > 30_000) throw new Error(`the harness did not answer: ${what}`);
    await sleep(100);
  }
  const failure = fs.readFileSync(`${id}.done`, 'utf8');
  if (failure) throw new Error(`${what}: ${failure}`);
}

/** Whether the harness can act in the window (the offline one can; desktop VS Code runs cannot). */
export const canActInWindow = (): boolean => Boolean(process.env.GRADLINT_UI_REQUESTS);

/** Lets the offline harness photograph the window now; nothing to do under other runners. */
export async function requestScreenshot(): Promise<void> {
  if (canActInWindow()) await uiRequest({ screenshot: true }, 'take the screenshot');
}

/** Clicks `button` on the notification showing `notification`. */
export const clickNotificationButton = (notification: string, button: string): Promise<void> =>
  uiRequest({ notification, button }, `click ${button} on "${notification}"`);

/** Waits until a notification showing `notification` is on screen. */
export const notificationShown = (notification: string): Promise<void> => uiRequest({ notification }, `see "${notification}"`);

/** Accepts what the quick input proposes (a save dialog's path), as Enter does. */
export const acceptQuickInput = (): Promise<void> => uiRequest({ quickInput: true }, 'accept the quick input');

/** Clicks the element `selector` in the open webview (the heatmap), or types `fill` into it. */
export const inWebview = (selector: string, fill?: string): Promise<void> =>
  uiRequest({ webview: selector, fill }, fill === undefined ? `click ${selector} in the webview` : `type ${fill} into ${selector} in the webview`);
