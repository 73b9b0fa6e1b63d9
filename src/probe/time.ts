// The probe's time limit: the multiply-adds of every kernel at every output position, three
// times over (forward, and the backward pass's two products), for the batch and the steps, at
// the fastest rate the backend reaches. Checked before building on the estimate's shapes for one
// sample (the batch may yet shrink to fit memory), and again on the built model and its batch. A model that cannot finish
// within the timeout is refused with the figures, instead of running until the timeout kills it.
import type { BackendName } from '../core/gradientResult';
import type { BuiltModel } from './build';

/**
 * Floating-point operations a second each backend sustains at best, about ten times what a
 * loaded 2-core machine measured (wasm 0.65e9, cpu 0.2e9 on 512² matrix products): only a
 * model that surely cannot finish is refused; a faster machine raises the timeout.
 */
export const PEAK_FLOPS: Record<BackendName, number> = { 'tfjs-node': 1e11, wasm: 1e10, cpu: 2e9 };

/** Forward and backward: the forward product, then the gradients of its input and of its kernel. */
const PASSES = 3;

/**
 * Floating-point operations of one sample's forward pass: 2 per kernel weight at each output
 * position (a dense layer's one, a convolution's every pixel). A lower bound: biases,
 * normalisation, activations and a recurrence's time steps are not counted.
 */
export function forwardFlopsPerSample(built: BuiltModel): number {
  let flops = 0;
  for (const layer of built.layers) {
    const kernels = layer.parts.flatMap((part) => part.trainableWeights.filter((w) => w.shape.length >= 2));
    const kernelWeights = kernels.reduce((n, w) => n + size(w.shape), 0);
    if (kernelWeights === 0) continue;
    for (const out of layer.outputs) {
      const perSample = out.shape.slice(1).map((d) => d ?? 1);
      const channels = perSample[perSample.length - 1] ?? 1;
      const positions = size(perSample) / Math.max(channels, 1);
      flops += 2 * kernelWeights * positions;
    }
  }
  return flops;
}

const size = (shape: (number | null)[]): number => shape.reduce<number>((n, d) => n * (d ?? 1), 1);

const engineering = (x: number): string => x.toExponential(1).replace('e+', 'e');

/**
 * Throws when `steps` steps of `batch` samples, each `flopsPerSample` forward (from the built
 * model, or before building from the estimate's shapes), need longer than `limitSeconds` at the
 * backend's peak rate.
 */
export function checkProbeTime(flopsPerSample: number, batch: number, steps: number, backend: BackendName, limitSeconds: number): void {
  const flops = PASSES * flopsPerSample * batch * steps;
  const seconds = flops / PEAK_FLOPS[backend];
  if (seconds <= limitSeconds) return;
  throw new Error(
    `the probe would take at least ${Math.round(seconds)} s (${engineering(flops)} floating-point operations for ${steps} step${steps === 1 ? '' : 's'} of a batch of ${batch}, ` +
      `at most ${engineering(PEAK_FLOPS[backend])} a second on the ${backend} backend), more than its time limit of ${limitSeconds} s ` +
      `(setting gradlint.probe.timeoutSeconds, flag --timeout; or fewer --steps or a smaller --batch)`,
  );
}
