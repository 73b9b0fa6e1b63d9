// Reading the files a model file imports by relative path, for the CLI, the probe and the
// language server, which prefers the text of open editors (the core reads no file; it is handed this).
import * as fs from 'fs';

/** The text of a regular file, or undefined when there is none (a directory, a missing file). */
export function readProjectFile(file: string): string | undefined {
  try {
    return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
