// How large a batch the probe can run: tfjs keeps every layer's output for the backward
// pass, and on the wasm backend running out of memory surfaces as an opaque "null function
// or function signature mismatch". The batch is checked against a budget before the first
// step: a default batch is made smaller (and the note says so); a batch the user asked for
// that does not fit is refused with the sizes.
import type { BuiltModel } from './build';

/** Bytes of weights and activations (with their gradients and kernels' scratch) the probe lets one step use. */
export const ACTIVATION_BUDGET_BYTES = 1 << 30;
/** float32, kept forward, its gradient, and about as much again in kernel scratch. */
const BYTES_PER_ELEMENT = 4 * 3;

/** Elements of every layer output and input for one sample. */
export function elementsPerSample(built: BuiltModel): number {
  const size = (shape: (number | null)[]): number => shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
  let total = built.inputs.reduce((n, input) => n + input.shape.reduce((m, d) => m * d, 1), 0);
  for (const layer of built.layers) for (const out of layer.outputs) total += size(out.shape);
  return total;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * The batch to run: `batch` when it fits the budget; else, for a default batch, the largest
 * that fits (with a note); else an error saying what would fit.
 */
export function fittingBatch(built: BuiltModel, batch: number, chosenByUser: boolean, onNote?: (message: string) => void): number {
  // The weights, their gradients and the optimiser's scratch come out of the same memory: full
  // VGG16 (138 M parameters, 1.5 GiB of them) aborted the wasm backend before any batch ran.
  const weights = built.params * BYTES_PER_ELEMENT;
  if (weights > ACTIVATION_BUDGET_BYTES) {
    throw new Error(`the model is too large to probe: its ${built.params.toExponential(2)} parameters need about ${gib(weights)} with their gradients, more than the probe's ${gib(ACTIVATION_BUDGET_BYTES)}`);
  }
  const perSample = elementsPerSample(built) * BYTES_PER_ELEMENT;
  const room = ACTIVATION_BUDGET_BYTES - weights;
  if (perSample * batch <= room) return batch;
  const fits = Math.floor(room / perSample);
  const need = (what: string, bytes: number): string =>
    `${what} needs about ${gib(bytes)} for activations and their gradients, more than the probe's ${gib(ACTIVATION_BUDGET_BYTES)}`;
  if (fits < 1) throw new Error(`the model is too large to probe: ${need('even one sample', perSample)}`);
  if (chosenByUser) throw new Error(`${need(`a batch of ${batch}`, perSample * batch)}; use --batch ${fits} or less`);
  onNote?.(`batch ${fits} instead of ${batch}: ${need(`a batch of ${batch}`, perSample * batch)}`);
  return fits;
}
