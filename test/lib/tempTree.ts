// Temporary folders for tests. They are removed when the test process exits, passed or
// failed, so repeated runs do not pile folders up in the system's temp directory.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system temp directory, named `gradlint-<purpose>-XXXXXX`. */
export function tempDir(purpose: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gradlint-${purpose}-`));
  made.push(dir);
  return dir;
}

/** A new temp folder holding `files` (relative path → text), subfolders made as needed. */
export function tempTree(purpose: string, files: Record<string, string>): string {
  const root = tempDir(purpose);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
