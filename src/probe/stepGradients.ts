// tfjs defines no gradient for its comparison kernels, so a backward pass through
// tf.layers.thresholdedReLU, which computes x · cast(x > θ), stops with "gradient function
// not found for Greater". A comparison is a step: its derivative is zero wherever it exists,
// so the gradient flows through the multiplication alone, as in Keras.
import * as tf from '@tensorflow/tfjs';

/** Registers a zero gradient for Greater (once per process; tfjs's registry is global). */
export function registerStepGradients(): void {
  if (tf.getGradient('Greater')) return;
  tf.registerGradient({
    kernelName: 'Greater',
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved as tf.Tensor[];
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  });
}
