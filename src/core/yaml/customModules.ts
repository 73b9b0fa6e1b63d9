// Where a YAML's unknown module names are defined in the project's own Python: the files YOLO
// projects conventionally keep their modules in, in the YAML's folder and the folders above
// it, read through the host's readFile (the core reads no file) and parsed, never run. Bounded
// in folders, files and bytes. gradlint does not expand these classes yet; it says where they are.

import * as path from 'path';
import { chargeParse } from '../budget';
import { parsePython, type Stmt } from '../python/ast';
import { LineIndex } from '../text';
import type { ReadFile } from '../tfjs/modules';

/** The files forks of the YOLOv5/v7/v9 repositories and of Ultralytics add their modules to, most likely first. */
export const CONVENTIONAL_FILES = [
  'models/common.py',
  'models/experimental.py',
  'ultralytics/nn/modules/block.py',
  'ultralytics/nn/modules/conv.py',
  'ultralytics/nn/modules/head.py',
  'ultralytics/nn/extra_modules/__init__.py',
  'ultralytics/nn/extra_modules/block.py',
  'nn/modules.py',
  'nn/__init__.py',
  'extra_modules/__init__.py',
  'extra_modules/block.py',
];

/** Folders above the YAML's own that are searched (ultralytics/cfg/models/11/x.yaml reaches the project root at 4). */
export const LEVELS_UP = 4;
const MAX_BYTES = 512 * 1024;

export interface ModuleLocation {
  module: string;
  /** Absolute path of the Python file defining the class. */
  file: string;
  /** 1-based line of its `class` statement. */
  line: number;
}

export interface ModuleSearch {
  /** The unknown modules found as classes, in the order of the names asked for. */
  found: ModuleLocation[];
  /** The Python files that exist and were read, nearest folder first. */
  searched: string[];
  /** The YAML's folder, which paths are shown relative to. */
  from: string;
}

/** The folders searched: the YAML's own and up to LEVELS_UP above it. */
function folders(yamlFile: string): string[] {
  const out: string[] = [];
  let dir = path.dirname(path.resolve(yamlFile));
  for (let i = 0; i <= LEVELS_UP; i++) {
    out.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** Top-level classes of a Python file (and those in `if`/`try` blocks), by name, with their lines. */
function classLines(text: string): Map<string, number> {
  chargeParse(text);
  const lines = new LineIndex(text);
  const out = new Map<string, number>();
  const visit = (body: Stmt[]): void => {
    for (const s of body) {
      if (s.type === 'class' && !out.has(s.name)) out.set(s.name, lines.lineOf(s.range.start));
      else if (s.type === 'block') visit(s.body);
      else if (s.type === 'if') {
        visit(s.body);
        visit(s.orelse);
      }
    }
  };
  visit(parsePython(text).body);
  return out;
}

/** Looks the module names up as classes in the project's conventional module files. */
export function locateModules(yamlFile: string, modules: readonly string[], readFile: ReadFile): ModuleSearch {
  const wanted = new Set(modules.map((m) => m.split('.').pop() ?? m));
  const where = new Map<string, ModuleLocation>();
  const searched: string[] = [];
  for (const dir of folders(yamlFile)) {
    for (const rel of CONVENTIONAL_FILES) {
      const file = path.join(dir, rel);
      const text = readFile(file);
      if (text === undefined || text.length > MAX_BYTES) continue;
      searched.push(file);
      for (const [name, line] of classLines(text)) {
        if (wanted.has(name) && !where.has(name)) where.set(name, { module: name, file, line });
      }
    }
  }
  const found = modules.flatMap((m) => {
    const hit = where.get(m.split('.').pop() ?? m);
    return hit ? [{ ...hit, module: m }] : [];
  });
  return { found, searched, from: path.dirname(path.resolve(yamlFile)) };
}
