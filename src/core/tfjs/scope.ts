// Lexical scopes of the interpreter, and the journal of writes that lets a branch taken
// under an unknown condition be evaluated and then undone.

import type { AV, ArrV, ObjV, Slot } from './values';

export interface Binding {
  value: AV;
}

export class Scope {
  /** Created on the first declaration: most block and loop-body scopes declare nothing. */
  private vars?: Map<string, Binding>;

  /** `isFunction`: the scope `var` declarations land in. */
  constructor(
    readonly parent?: Scope,
    readonly isFunction = false,
  ) {}

  /** The enclosing function's (or the file's) scope. */
  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }

  declare(name: string, value: AV): Binding {
    const binding = { value };
    (this.vars ??= new Map()).set(name, binding);
    return binding;
  }

  lookup(name: string): Binding | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.vars?.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

type Entry =
  | { kind: 'binding'; binding: Binding; old: AV }
  | { kind: 'prop'; target: ObjV; key: string; old: Slot | undefined }
  | { kind: 'undo'; undo: () => void; modelSeq?: number };

/** A point in the journal, and the interpreter's sequence number when it was taken. */
export interface Mark {
  index: number;
  seq: number;
}

// Reassigning a model variable is not a graph change: the models themselves are all listed.
const isGraphValue = (v: AV): boolean => v.k === 'tensor' || v.k === 'layer';

/**
 * Records every write while at least one mark is open. `rollback(mark)` undoes the writes
 * made since the mark, except additions to models created after it (those models stay
 * as built); `writtenBindings(mark)` tells which variables a loop changed.
 */
export class Journal {
  private entries: Entry[] = [];
  private open = 0;

  constructor(private readonly now: () => number) {}

  mark(): Mark {
    this.open++;
    return { index: this.entries.length, seq: this.now() };
  }

  /** Closes a mark keeping its writes (still undoable by an enclosing mark). */
  commit(_mark: Mark): void {
    this.open--;
    if (this.open === 0) this.entries = [];
  }

  rollback(mark: Mark): void {
    for (let i = this.entries.length - 1; i >= mark.index; i--) {
      const e = this.entries[i];
      if (e.kind === 'binding') e.binding.value = e.old;
      else if (e.kind === 'prop') {
        if (e.old) e.target.props.set(e.key, e.old);
        else e.target.props.delete(e.key);
      } else if (e.modelSeq === undefined || e.modelSeq < mark.seq) e.undo();
    }
    this.entries.length = mark.index;
    this.commit(mark);
  }

  /**
   * How many writes since the mark changed the graph as it stood at the mark: layers
   * added to older models, tensors or layers stored in variables.
   */
  graphChanges(mark: Mark): number {
    let n = 0;
    for (let i = mark.index; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.kind === 'undo' ? e.modelSeq !== undefined && e.modelSeq < mark.seq : e.kind === 'binding' && (isGraphValue(e.old) || isGraphValue(e.binding.value))) n++;
    }
    return n;
  }

  writtenBindings(mark: Mark): Set<Binding> {
    const out = new Set<Binding>();
    for (let i = mark.index; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.kind === 'binding') out.add(e.binding);
    }
    return out;
  }

  setBinding(binding: Binding, value: AV): void {
    if (this.open) this.entries.push({ kind: 'binding', binding, old: binding.value });
    binding.value = value;
  }

  setProp(target: ObjV, key: string, slot: Slot): void {
    if (this.open) this.entries.push({ kind: 'prop', target, key, old: target.props.get(key) });
    target.props.set(key, slot);
  }

  setItem(target: ArrV, index: number, value: AV): void {
    const old = target.items.length;
    const previous = target.items[index];
    this.record(() => {
      if (index < old) target.items[index] = previous;
      else target.items.length = old;
    });
    target.items[index] = value;
  }

  /** Any other undoable change; `modelSeq`: the model it adds a layer to. */
  record(undo: () => void, modelSeq?: number): void {
    if (this.open) this.entries.push({ kind: 'undo', undo, modelSeq });
  }
}
