import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { warmUp } from './warm-up';

describe('warmUp', () => {
  it('hands the model a blank float32 camera-sized frame and frees it, also when the model throws', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const seen = await warmUp((blank) =>
      Promise.resolve({ shape: blank.shape, dtype: blank.dtype, blank: blank.dataSync().every((v) => v === 0) }),
    );
    expect(seen).toEqual({ shape: [240, 320, 3], dtype: 'float32', blank: true });
    await expect(warmUp(() => Promise.reject(new Error('no kernel')))).rejects.toThrow('no kernel');
    expect(tf.memory().numTensors).toBe(before);
  });
});
