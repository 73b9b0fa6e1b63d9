// Which documents the server reads and under what file path: the path decides the front end
// and where `.gradlintrc.json` is looked for. Decided from the URI, the language and a glance
// at the text (core/modelFiles.ts), so that unrelated documents never reach the parsers.
import * as path from 'path';
import { fileURLToPath } from 'url';
import { fileKind, languageKind, notAModel, notebookCellPath, type FileKind } from '../core/modelFiles';
import type { SkipReason } from './protocol';

/** Named in the reason a model file is skipped for its size: the one skip a user can act on. */
export const SIZE_SETTING = 'gradlint.maxFileSizeKiB';

/** The extension an untitled document or a notebook cell is analysed under, by its language. */
const EXTENSIONS: Record<string, string> = {
  javascript: '.js',
  typescript: '.ts',
  javascriptreact: '.jsx',
  typescriptreact: '.tsx',
  yaml: '.yaml',
  json: '.json',
  jsonc: '.json',
  python: '.py',
};

const NOTEBOOK_CELL = 'vscode-notebook-cell';

/**
 * Why a file is not analysed; undefined when it is. A dependency's sources (tfjs's own bundles
 * mention tfjs) and files above the size limit are left alone: a multi-megabyte bundle would
 * hold the analyser up for seconds on every edit.
 */
export function skipReasonFor(kind: FileKind | undefined, fileName: string, text: string, maxFileSizeKiB: number): SkipReason | undefined {
  const notModel = notAModel(kind, fileName, text);
  if (notModel) return notModel;
  const kib = Buffer.byteLength(text, 'utf8') / 1024;
  return kib > maxFileSizeKiB ? { kind: 'too-large', message: `${Math.ceil(kib)} KiB, above ${SIZE_SETTING} (${maxFileSizeKiB} KiB)` } : undefined;
}

/** The path part of a URI as a local file path (a notebook cell's is its notebook's; a remote authority is dropped). */
function pathOf(uri: URL): string {
  return fileURLToPath(new URL(`file://${uri.pathname}`));
}

/**
 * The path the core analyses a document under, or why it is not analysed: the file itself; for
 * a notebook cell a name next to its notebook (settings are found there); for an untitled
 * document a name in the first workspace folder with the language's extension.
 */
export function analysisPath(uri: string, languageId: string, workspaceFolder: string | undefined): { file: string } | { skip: SkipReason } {
  try {
    const parsed = new URL(uri);
    const scheme = parsed.protocol.replace(/:$/, '');
    const extension = EXTENSIONS[languageId] ?? '';
    if (scheme === 'file') return { file: pathOf(parsed) };
    if (scheme === NOTEBOOK_CELL) return { file: notebookCellPath(pathOf(parsed), extension) };
    if (scheme === 'untitled') {
      const name = decodeURIComponent(parsed.pathname).replace(/[^\w.-]/g, '_') || 'untitled';
      return { file: path.join(workspaceFolder ?? process.cwd(), name + extension) };
    }
    return { skip: { kind: 'scheme', message: `scheme ${scheme} is not a file` } };
  } catch (err) {
    return { skip: { kind: 'scheme', message: `${uri} is not a file URI (${err instanceof Error ? err.message : String(err)})` } };
  }
}

/** Why the document is not analysed (its language, its path, its text, its size), or its analysis path. */
export function documentTarget(
  /** `text`: what decides whether it is a model (a Python cell's prelude and text). */
  doc: { uri: string; languageId?: string; text: string },
  settings: { enable: boolean; maxFileSizeKiB: number },
  workspaceFolder: string | undefined,
): { file: string } | { skip: SkipReason } {
  if (!settings.enable) return { skip: { kind: 'disabled', message: 'gradlint.enable is off' } };
  const target = analysisPath(doc.uri, doc.languageId ?? '', workspaceFolder);
  if ('skip' in target) return target;
  // An editor's language decides the front end; without one (a file not open), the file name does.
  const kind = doc.languageId !== undefined ? languageKind(doc.languageId) : fileKind(target.file);
  const skip = skipReasonFor(kind, target.file, doc.text, settings.maxFileSizeKiB);
  return skip ? { skip } : target;
}
