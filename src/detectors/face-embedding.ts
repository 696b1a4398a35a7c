/**
 * Face descriptor for identity (rule 2.8.6): human-models' faceres.json (input [1, 224, 224, 3]
 * float 0..255, output global_pooling/Mean [1, 1024]). The face is cut from the frame as a square
 * around the face detector's box, CROP_SCALE times its larger side (faceres was trained on crops
 * with some margin around the face), resized to 224x224; parts of the square outside the frame
 * are black. Descriptors are compared by cosine similarity (src/shared/identity.ts).
 *
 * The same code runs in the vision worker (browser) and at the centre (Node, the reference
 * photo), both on the tfjs wasm backend, so the two descriptors come from one computation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Box } from '../proctoring/signals';
import { loadGraph, type ModelSource, type ProgressFn } from './tf-backend';

export const FACE_EMBEDDING_MODEL = 'human/faceres.json';
const INPUT = 224;
const OUTPUT = 'global_pooling/Mean';
export const DESCRIPTOR_LENGTH = 1024;
/** Side of the square crop as a multiple of the larger side of the detector's box. */
export const CROP_SCALE = 1.2;

/** The square crop around a face box, in frame fractions [y1, x1, y2, x2] for tf.image.cropAndResize. */
export function cropSquare(box: Box, width: number, height: number, scale = CROP_SCALE): [number, number, number, number] {
  const cx = (box.x + box.w / 2) * width;
  const cy = (box.y + box.h / 2) * height;
  const half = (Math.max(box.w * width, box.h * height) * scale) / 2;
  return [(cy - half) / height, (cx - half) / width, (cy + half) / height, (cx + half) / width];
}

export class FaceEmbedding {
  private constructor(private readonly model: GraphModel) {}

  static async load(models: ModelSource, onProgress?: ProgressFn): Promise<FaceEmbedding> {
    const model = await loadGraph(models, FACE_EMBEDDING_MODEL, onProgress);
    const shape = model.inputs[0]?.shape;
    if (shape && (shape[1] !== INPUT || shape[2] !== INPUT)) {
      model.dispose();
      throw new Error(`face embedding: model input is ${JSON.stringify(shape)}, expected [-1, ${INPUT}, ${INPUT}, 3] (wrong model file?)`);
    }
    return new FaceEmbedding(model);
  }

  /** The 1024-value descriptor of the face in `box` (frame fractions) of an [h, w, 3] 0..255 frame (not disposed here). */
  async describe(frame: tf.Tensor3D, box: Box): Promise<Float32Array> {
    const [height, width] = frame.shape;
    const output = tf.tidy(() => {
      const crop = tf.image.cropAndResize(
        tf.expandDims(tf.cast(frame, 'float32'), 0) as tf.Tensor4D,
        [cropSquare(box, width, height)],
        [0],
        [INPUT, INPUT],
        'bilinear',
        0,
      );
      return this.model.execute(crop, OUTPUT) as tf.Tensor;
    });
    try {
      const values = (await output.data()) as Float32Array;
      if (values.length !== DESCRIPTOR_LENGTH) throw new Error(`face embedding: ${values.length} values, expected ${DESCRIPTOR_LENGTH}`);
      return values;
    } finally {
      output.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
