/**
 * A model's first call allocates its tensors and compiles its kernels, which takes several times a
 * normal frame: the workers make that call on a blank frame while loading, so the first camera frame
 * is not the slow one. The blank is float32, as camera frames are (frameTensor).
 */
import * as tf from '@tensorflow/tfjs-core';

export async function warmUp<T>(run: (blank: tf.Tensor3D) => Promise<T>): Promise<T> {
  const blank = tf.zeros([240, 320, 3], 'float32') as tf.Tensor3D;
  try {
    return await run(blank);
  } finally {
    blank.dispose();
  }
}
