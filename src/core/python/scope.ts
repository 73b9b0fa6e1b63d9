// Lexical scopes of the Python interpreter: module, class body, function call.
import type { PyValue } from './values';

export class Scope {
  private readonly vars = new Map<string, PyValue>();
  constructor(readonly parent?: Scope) {}

  get(name: string): PyValue | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }

  set(name: string, value: PyValue): void {
    this.vars.set(name, value);
  }

  own(): ReadonlyMap<string, PyValue> {
    return this.vars;
  }
}
