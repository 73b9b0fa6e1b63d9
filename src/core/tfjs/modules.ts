// Builders imported from other files of the same project (`import { resBlock } from
// './blocks'`, `require('./blocks')`). The core reads no file: the caller hands a readFile
// callback (the CLI and the extension read sibling files with it). Each file is read once,
// within a bound on import depth and on the total size read; a file it cannot read, or one
// past the bounds, leaves its imports unknown, saying why.
//
// Code of another file runs in this same interpreter, so the layers its functions build
// join this file's models; what it builds is placed at the call in this file that ran it
// (the other file's positions mean nothing here), and what its own top level builds
// belongs to that file's own lint, not this one.

import * as path from 'path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Range } from '../graph';
import { LineIndex } from '../text';
import type { Interpreter } from './interpreter';
import type { ParseProgram } from './parse';
import { Scope } from './scope';
import { AV, ObjV, obj } from './values';

export type ReadFile = (file: string) => string | undefined;

/** One file the interpreter runs code of. */
export interface ModuleSource {
  file: string;
  text: string;
  lines: LineIndex;
}

const EXTENSIONS = ['', '.js', '.ts', '.mjs', '.cjs', '.jsx', '.tsx', '/index.js', '/index.ts'];
const isRelative = (source: string): boolean => source.startsWith('./') || source.startsWith('../');

interface Loaded {
  exports: AV;
}

/** The modules of one run: what was read, and the bounds. */
export class Modules {
  private readonly loaded = new Map<string, Loaded>();
  /** Module scope → its file, to know which file a function's code is in. */
  private readonly scopes = new Map<Scope, ModuleSource>();
  private bytesRead = 0;
  private depth = 0;

  constructor(
    private readonly it: Interpreter,
    private readonly readFile: ReadFile | undefined,
    private readonly parse: ParseProgram,
  ) {}

  static isRelative = isRelative;

  /** The file whose code runs in `scope` (undefined: the file being linted). */
  moduleOf(scope: Scope): ModuleSource | undefined {
    let s = scope;
    while (s.parent) s = s.parent;
    return this.scopes.get(s);
  }

  /**
   * The exports of the file `source` names, relative to the file running now (`at`: the
   * import), or why they are not known (a clause: "which could not be read"); undefined
   * when no files can be read at all.
   */
  load(source: string, at: Range): { exports: AV } | { why: string } | undefined {
    if (!this.readFile) return undefined;
    const from = this.it.current.file;
    const found = this.find(path.resolve(path.dirname(from), source));
    if (!found) return { why: 'which could not be read' };
    const [file, text] = found;
    const cached = this.loaded.get(file);
    if (cached) return cached;
    const { maxImportDepth, maxImportBytes } = this.it.limits;
    if (this.depth >= maxImportDepth) return { why: `which is imported more than ${maxImportDepth} files deep and was not read` };
    if (this.bytesRead + text.length > maxImportBytes) return { why: `which was not read: the imported files would exceed ${maxImportBytes} characters` };
    this.bytesRead += text.length;
    let program: TSESTree.Program;
    try {
      program = this.parse(file, text);
    } catch {
      return { why: 'which has a syntax error' };
    }
    const module: ModuleSource = { file, text, lines: new LineIndex(text) };
    const scope = new Scope(undefined, true);
    this.scopes.set(scope, module);
    const exportsObj = obj();
    const cjs = obj({ exports: exportsObj });
    scope.declare('module', cjs);
    scope.declare('exports', exportsObj);
    // Set first, so an import cycle sees the (partly filled) exports rather than looping.
    const entry: Loaded = { exports: exportsObj };
    this.loaded.set(file, entry);
    this.depth++;
    try {
      this.it.runIn(module, at, true, () => void this.it.execBlockBody(program.body, scope));
    } finally {
      this.depth--;
    }
    const cjsExports = cjs.props.get('exports')?.value;
    entry.exports = cjsExports && cjsExports !== exportsObj ? cjsExports : esmExports(this.it, program, scope, exportsObj);
    return entry;
  }

  private find(base: string): [string, string] | undefined {
    for (const ext of EXTENSIONS) {
      const file = base + ext;
      const text = this.readFile!(file);
      if (text !== undefined) return [file, text];
    }
    return undefined;
  }
}

/** `export function f`, `export const a`, `export { a as b }`, `export default ...` as an object. */
function esmExports(it: Interpreter, program: TSESTree.Program, scope: Scope, into: ObjV): ObjV {
  const set = (name: string, value: AV | undefined): void => {
    if (value) into.props.set(name, { value });
  };
  const binding = (name: string): AV | undefined => scope.lookup(name)?.value;
  for (const stmt of program.body) {
    if (stmt.type === 'ExportNamedDeclaration') {
      const d = stmt.declaration;
      if (d && (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) set(d.id.name, binding(d.id.name));
      if (d?.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.type === 'Identifier') set(v.id.name, binding(v.id.name));
      for (const s of stmt.specifiers) {
        if (s.local.type !== 'Identifier') continue;
        const exported = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
        set(exported, binding(s.local.name));
      }
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const d = stmt.declaration;
      if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) set('default', binding(d.id.name));
      else set('default', it.defaultExports.get(stmt));
    }
  }
  return into;
}
