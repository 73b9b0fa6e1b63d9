// Graph initialiser specs → tfjs initialisers, seeded from the probe's one seed and
// counted against the parameter cap *before* they allocate, so an oversized model is
// refused instead of exhausting memory.
import * as tf from '@tensorflow/tfjs';
import type { Value } from '../core/graph';
import { normalizeInitializer } from '../core/layerDefaults';
import type { Initializer } from './builders/registry';

/** Thrown when a model would exceed the parameter cap. */
export class TooManyParametersError extends Error {
  constructor(readonly atLeast: number, readonly cap: number) {
    super(
      `the model has at least ${atLeast.toExponential(2)} parameters, more than the probe's cap of ` +
        `${cap.toExponential(0)} (setting gradlint.probe.maxParameters, flag --max-parameters)`,
    );
  }
}

export class ParameterBudget {
  private used = 0;
  constructor(readonly cap: number) {}

  /** Counts `count` more parameters; throws before the cap is crossed. */
  take(count: number): void {
    this.used += count;
    if (this.used > this.cap) throw new TooManyParametersError(this.used, this.cap);
  }

  get total(): number {
    return this.used;
  }
}

type InitializerFactory = (args: Record<string, unknown>) => Initializer;

/** A seeded tfjs initialiser whose every allocation is counted by `budget`. */
export function makeInitializer(spec: Value | undefined, seed: number, budget: ParameterBudget): Initializer {
  const resolved = normalizeInitializer(spec ?? null);
  if (!resolved) throw new Error(`unknown initializer ${JSON.stringify(spec)}`);
  const { name, ...args } = resolved;
  const factory = (tf.initializers as unknown as Record<string, InitializerFactory | undefined>)[name];
  if (typeof factory !== 'function') throw new Error(`unknown initializer ${name}`);
  const initializer = factory({ ...args, seed });
  const allocate = initializer.apply.bind(initializer);
  initializer.apply = (shape, dtype) => {
    budget.take(shape.reduce<number>((a, b) => a * (b ?? 1), 1));
    return allocate(shape, dtype);
  };
  return initializer;
}
