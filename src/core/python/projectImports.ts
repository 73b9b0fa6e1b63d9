// Modules of the same project: `from .blocks import Block`, `from models.blocks import Block`
// or `import blocks` resolved to .py files next to the analysed one (or up to three folders
// above it), read and interpreted once each, bounded in number, size and depth. Their ranges
// are moved past the analysed file's text so nothing of theirs is mistaken for its code.

import * as fs from 'fs';
import * as path from 'path';
import { parsePython } from './ast';
import type { Interpreter } from './interpreter';
import { Scope } from './scope';
import type { PyValue } from './values';

const MAX_FILES = 16;
const MAX_BYTES = 256 * 1024;
const LEVELS_UP = 3;

/** Candidate files for a module name as written (`.blocks`, `..nets.resnet`, `models.blocks`). */
export function candidates(fromFile: string, module: string): string[] {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split('.').filter(Boolean);
  const tail = (base: string) => [path.join(base, ...parts) + '.py', path.join(base, ...parts, '__init__.py')];
  if (dots > 0) {
    let base = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    return parts.length ? tail(base) : [path.join(base, '__init__.py')];
  }
  const out: string[] = [];
  let base = path.dirname(fromFile);
  for (let i = 0; i <= LEVELS_UP; i++) {
    out.push(...tail(base));
    base = path.dirname(base);
  }
  return out;
}

export class ProjectImports {
  private readonly scopes = new Map<string, Scope | null>();
  private offset: number;

  constructor(
    private readonly interp: Interpreter,
    private readonly file: string,
    hostLength: number,
  ) {
    this.offset = hostLength + 1;
  }

  /**
   * The value an import binds, or undefined when the module is not a file of this project;
   * for the name `*`, the names `from module import *` binds, as a dict.
   */
  resolve(module: string, name: string | undefined, from = this.file, depth = 0): PyValue | undefined {
    if (module.startsWith('torch') || module.startsWith('keras') || module.startsWith('tensorflow')) return undefined;
    const found = candidates(from, module).find((f) => f !== from && isSmallFile(f));
    if (!found) return undefined;
    const scope = this.load(found, depth);
    if (!scope) return undefined;
    if (name === '*') return starNames(scope);
    // `from package import submodule` names a file; `import module` binds the module itself.
    const member = (n: string) => scope.own().get(n) ?? this.resolve(`${module}.${n}`, undefined, from, depth);
    if (name !== undefined) return member(name);
    return { t: 'namespace', name: module, member };
  }

  private load(file: string, depth: number): Scope | null {
    const known = this.scopes.get(file);
    if (known !== undefined) return known;
    if (this.scopes.size >= MAX_FILES || depth > 2) return null;
    // Marked before reading: an import cycle finds the (partial) scope, never recurses.
    const scope = new Scope();
    this.scopes.set(file, scope);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      this.scopes.set(file, null);
      return null;
    }
    const tree = parsePython(text, this.offset);
    this.offset += text.length + 1;
    const outer = this.interp.importer;
    this.interp.importer = (module, name) => this.resolve(module, name, file, depth + 1);
    try {
      this.interp.exec(tree.body, scope);
    } finally {
      this.interp.importer = outer;
    }
    return scope;
  }
}

/** What `from module import *` binds: the names in `__all__` where it lists them, else every public name. */
function starNames(scope: Scope): PyValue {
  const all = scope.own().get('__all__');
  const listed = all?.t === 'list' ? all.items.flatMap((v) => (v.t === 'str' ? [v.v] : [])) : undefined;
  const entries = new Map<string, PyValue>();
  for (const [n, v] of scope.own()) if (listed ? listed.includes(n) : !n.startsWith('_')) entries.set(n, v);
  return { t: 'dict', entries };
}

function isSmallFile(file: string): boolean {
  try {
    // Most candidates do not exist: told without an exception, which costs more than the stat.
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat !== undefined && stat.isFile() && stat.size <= MAX_BYTES;
  } catch {
    return false;
  }
}
