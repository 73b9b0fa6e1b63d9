// Where a YAML's unknown module names are defined in the project's own Python: the files YOLO
// projects conventionally keep their modules in, in the YAML's folder and the folders above
// it, read through the host's readFile (the core reads no file) and parsed, never run. Bounded
// in folders, files and bytes. customExpand.ts builds the classes found; the rest are said.

import * as path from 'path';
import { chargeParse } from '../budget';
import { parsePython, type Stmt } from '../python/ast';
import { candidates } from '../python/projectImports';
import { LineIndex } from '../text';
import type { ModelGraph } from '../graph';
import type { ReadFile } from '../tfjs/modules';
import { readParseModelSets, type ParseModelSets } from './projectParseModel';

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

/** Folders above the YAML's own that are searched (ultralytics/cfg/models/11/x.yaml reaches the project root at 4, a subfolder of it at 5). */
export const LEVELS_UP = 5;
const MAX_BYTES = 512 * 1024;
/** Files reached by following the imports of the files above (`from .attentions import *`, `from ultralytics.nn.AddModel import *`). */
const MAX_IMPORTED_FILES = 32;

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

/** Top-level classes of a Python file (and those in `if`/`try` blocks), by name, with their lines, and the modules its `from` imports name. */
function readModuleFile(text: string): { classes: Map<string, number>; imports: string[] } {
  chargeParse(text);
  const lines = new LineIndex(text);
  const classes = new Map<string, number>();
  const imports: string[] = [];
  const visit = (body: Stmt[]): void => {
    for (const s of body) {
      if (s.type === 'class' && !classes.has(s.name)) classes.set(s.name, lines.lineOf(s.range.start));
      else if (s.type === 'import' && s.from) imports.push(s.module);
      else if (s.type === 'block') visit(s.body);
      else if (s.type === 'if') {
        visit(s.body);
        visit(s.orelse);
      }
    }
  };
  visit(parsePython(text).body);
  return { classes, imports };
}

/** Where projects keep their parse_model: YOLOv5/v7/v9 forks, Ultralytics forks. */
const PARSE_MODEL_FILES = ['models/yolo.py', 'ultralytics/nn/tasks.py'];

/**
 * The project's Python around one YAML file, read once on first use: the classes of its
 * conventional module files and the module sets of its parse_model (the nearest one).
 */
export class ProjectModules {
  private scanned?: { classes: Map<string, ModuleLocation>; searched: string[]; sets?: ParseModelSets };
  /** Classes already read by the Python front end, by class and arguments (rows repeat them). */
  readonly built = new Map<string, ModelGraph | undefined>();

  constructor(
    private readonly yamlFile: string,
    private readonly readFile: ReadFile,
  ) {}

  private read(file: string): string | undefined {
    const text = this.readFile(file);
    return text === undefined || text.length > MAX_BYTES ? undefined : text;
  }

  private scan(): NonNullable<ProjectModules['scanned']> {
    if (this.scanned) return this.scanned;
    const classes = new Map<string, ModuleLocation>();
    const searched: string[] = [];
    let sets: ParseModelSets | undefined;
    // Files whose imports are followed: forks keep modules in files of their own (nn/AddModel/,
    // nn/modules/attentions.py) that the parse_model file or a package __init__ imports.
    const importers: { file: string; imports: string[] }[] = [];
    const readClasses = (file: string, text: string): void => {
      const read = readModuleFile(text);
      searched.push(file);
      importers.push({ file, imports: read.imports });
      for (const [name, line] of read.classes) if (!classes.has(name)) classes.set(name, { module: name, file, line });
    };
    for (const dir of folders(this.yamlFile)) {
      for (const rel of CONVENTIONAL_FILES) {
        const file = path.join(dir, rel);
        const text = this.read(file);
        if (text !== undefined) readClasses(file, text);
      }
      for (const rel of sets ? [] : PARSE_MODEL_FILES) {
        const file = path.join(dir, rel);
        const text = this.read(file);
        if (text === undefined) continue;
        sets = readParseModelSets(text);
        importers.push({ file, imports: readModuleFile(text).imports });
      }
    }
    const seen = new Set(importers.map((i) => i.file));
    for (let i = 0, followed = 0; i < importers.length && followed < MAX_IMPORTED_FILES; i++) {
      for (const module of importers[i].imports) {
        if (followed >= MAX_IMPORTED_FILES) break;
        for (const file of candidates(importers[i].file, module)) {
          if (seen.has(file)) break;
          const text = this.read(file);
          if (text === undefined) continue;
          seen.add(file);
          followed++;
          readClasses(file, text);
          break;
        }
      }
    }
    this.scanned = { classes, searched, sets };
    return this.scanned;
  }

  /** The class a module name (`SEBlock`, `models.common.SEBlock`) names, if the project defines it. */
  find(module: string): ModuleLocation | undefined {
    const hit = this.scan().classes.get(module.split('.').pop() ?? module);
    return hit && { ...hit, module };
  }

  /** The project's parse_model module sets, when one was found. */
  parseModelSets(): ParseModelSets | undefined {
    return this.scan().sets;
  }

  /** Where the module names were looked for, and which were found. */
  search(modules: readonly string[]): ModuleSearch {
    const found = modules.flatMap((m) => this.find(m) ?? []);
    return { found, searched: this.scan().searched, from: path.dirname(path.resolve(this.yamlFile)) };
  }
}
