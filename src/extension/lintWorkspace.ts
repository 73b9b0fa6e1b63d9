// "Gradlint: Lint workspace": every model file of the workspace, skipping what
// `files.exclude` (through findFiles' default excludes), `.gitignore` files and
// node_modules leave out, with a progress notification that can be cancelled.
import * as path from 'path';
import * as vscode from 'vscode';
import ignore, { type Ignore } from 'ignore';
import type { DocumentLinter } from './linter';
import { documentsInTabs, kindOf, SIZE_SETTING, skipReasonFor } from './documents';
import { readSettings } from './settings';

const MODEL_FILES = '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,yaml,yml,json,py}';

/** The `.gitignore` files of the workspace, each with the folder its patterns are relative to. */
async function gitignores(token: vscode.CancellationToken): Promise<{ dir: string; rules: Ignore }[]> {
  const files = await vscode.workspace.findFiles('**/.gitignore', null, undefined, token);
  const out: { dir: string; rules: Ignore }[] = [];
  for (const uri of files) {
    if (uri.fsPath.split(path.sep).includes('node_modules')) continue;
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    out.push({ dir: path.dirname(uri.fsPath), rules: ignore().add(text) });
  }
  return out;
}

function isIgnored(file: string, ignores: { dir: string; rules: Ignore }[]): boolean {
  if (file.split(path.sep).includes('node_modules')) return true;
  return ignores.some(({ dir, rules }) => {
    const rel = path.relative(dir, file);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && rules.ignores(rel.split(path.sep).join('/'));
  });
}

export interface WorkspaceLintSummary {
  files: number;
  findings: number;
  /** Model files left out for being above gradlint.maxFileSizeKiB. */
  tooLarge: number;
  cancelled: boolean;
}

export async function lintWorkspace(linter: DocumentLinter, log: vscode.OutputChannel): Promise<WorkspaceLintSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Gradlint: linting the workspace', cancellable: true },
    async (progress, token) => {
      const ignores = await gitignores(token);
      // `undefined` excludes: VS Code applies files.exclude.
      const candidates = (await vscode.workspace.findFiles(MODEL_FILES, undefined, undefined, token))
        .filter((uri) => uri.scheme === 'file' && !isIgnored(uri.fsPath, ignores))
        .sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
      const shown = documentsInTabs();
      const summary: WorkspaceLintSummary = { files: 0, findings: 0, tooLarge: 0, cancelled: false };
      log.appendLine(`Lint workspace: ${candidates.length} candidate file(s).`);
      for (const [i, uri] of candidates.entries()) {
        if (token.isCancellationRequested) {
          summary.cancelled = true;
          break;
        }
        const name = vscode.workspace.asRelativePath(uri);
        progress.report({ message: name, increment: 100 / candidates.length });
        const doc = open.get(uri.toString());
        const text = doc ? doc.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
        const settings = readSettings(uri);
        const skip = skipReasonFor(kindOf(path.extname(uri.fsPath)), uri.fsPath, text, settings.maxFileSizeKiB);
        if (skip) {
          // Files that are not models go unmentioned; a model left out for its size is said.
          if (skip.includes(SIZE_SETTING)) {
            log.appendLine(`Lint workspace: skipped ${name}: ${skip}.`);
            summary.tooLarge++;
          }
          continue;
        }
        // A document in a tab is linted live (its findings go when its last tab closes); the
        // others, open in the background or not at all, keep these findings.
        const findings = doc && shown.has(uri.toString()) ? linter.lintNow(doc) : linter.lintFile(uri, text, settings);
        summary.files++;
        summary.findings += findings;
        // Yield between files: the Cancel button and typing stay responsive.
        if (i % 4 === 3) await new Promise((resolve) => setImmediate(resolve));
      }
      log.appendLine(
        `Lint workspace ${summary.cancelled ? 'cancelled' : 'done'}: ${summary.files} model file(s), ${summary.findings} finding(s)` +
          `${summary.tooLarge ? `; ${summary.tooLarge} above ${SIZE_SETTING}, not analysed` : ''}.`,
      );
      return summary;
    },
  );
}
