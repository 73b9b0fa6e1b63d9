/**
 * A lookup table keyed by names read from user code, without Object.prototype: a Python name
 * or activation called 'constructor' or 'toString' finds nothing instead of a JS function.
 */
export function nameTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
