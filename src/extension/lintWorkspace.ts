// "Gradlint: Lint workspace": every model file of the workspace, skipping what
// `files.exclude` (through findFiles' default excludes), `.gitignore` files and
// node_modules leave out, with a progress notification that can be cancelled.
import * as path from 'path';
import * as vscode from 'vscode';
import type { GradlintClient } from './client';
import { Gitignores, inNodeModules, MODEL_FILE_GLOB } from '../core/modelFiles';

const SIZE_SETTING = 'gradlint.maxFileSizeKiB';

/** The `.gitignore` files of the workspace, read through VS Code (remote workspaces too). */
async function gitignores(token: vscode.CancellationToken): Promise<Gitignores> {
  const files: { dir: string; text: string }[] = [];
  for (const uri of await vscode.workspace.findFiles('**/.gitignore', null, undefined, token)) {
    if (inNodeModules(uri.fsPath)) continue;
    files.push({ dir: path.dirname(uri.fsPath), text: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') });
  }
  return new Gitignores(files);
}

export interface WorkspaceLintSummary {
  files: number;
  findings: number;
  /** Model files left out for being above gradlint.maxFileSizeKiB. */
  tooLarge: number;
  cancelled: boolean;
}

export async function lintWorkspace(client: GradlintClient, log: vscode.OutputChannel): Promise<WorkspaceLintSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Gradlint: linting the workspace', cancellable: true },
    async (progress, token) => {
      const ignored = await gitignores(token);
      // `undefined` excludes: VS Code applies files.exclude.
      const candidates = (await vscode.workspace.findFiles(MODEL_FILE_GLOB, undefined, undefined, token))
        .filter((uri) => uri.scheme === 'file' && !ignored.ignores(uri.fsPath))
        .sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
      const summary: WorkspaceLintSummary = { files: 0, findings: 0, tooLarge: 0, cancelled: false };
      log.appendLine(`Lint workspace: ${candidates.length} candidate file(s).`);
      for (const uri of candidates) {
        if (token.isCancellationRequested) {
          summary.cancelled = true;
          break;
        }
        const name = vscode.workspace.asRelativePath(uri);
        progress.report({ message: name, increment: 100 / candidates.length });
        const doc = open.get(uri.toString());
        const text = doc ? doc.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
        // Documents in tabs lose these findings when their last tab closes; the others keep them.
        const { findings, skipped } = await client.lintFile(uri, text);
        if (skipped) {
          // Files that are not models go unmentioned; a model left out for its size is said.
          if (skipped.kind === 'too-large') {
            log.appendLine(`Lint workspace: skipped ${name}: ${skipped.message}.`);
            summary.tooLarge++;
          }
          continue;
        }
        summary.files++;
        summary.findings += findings;
      }
      log.appendLine(
        `Lint workspace ${summary.cancelled ? 'cancelled' : 'done'}: ${summary.files} model file(s), ${summary.findings} finding(s)` +
          `${summary.tooLarge ? `; ${summary.tooLarge} above ${SIZE_SETTING}, not analysed` : ''}.`,
      );
      return summary;
    },
  );
}
