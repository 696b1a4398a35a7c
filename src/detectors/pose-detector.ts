/**
 * Body pose (body.left / body.motion): MoveNet SinglePose Lightning from human-models
 * (movenet-lightning.json, int32 input [1, 192, 192, 3], output [1, 1, 17, 3] = y, x, score
 * in input fractions). The frame is letterboxed to a square first so the body is not squashed;
 * keypoints come back in fractions of the original frame.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Keypoint } from '../proctoring/signals';
import {
  fromLetterbox,
  letterbox,
  letterboxOf,
  loadGraph,
  MODEL_FILES,
  type Letterbox,
  type ModelSource,
  type ProgressFn,
} from './tf-backend';

/** MoveNet's 17 COCO keypoints, in output order. */
export const POSE_KEYPOINTS = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;
export type PoseKeypointName = (typeof POSE_KEYPOINTS)[number];
export const poseIndex = (name: PoseKeypointName): number => POSE_KEYPOINTS.indexOf(name);

/** MoveNet Lightning's square input side. */
export const POSE_INPUT = 192;

/**
 * The model's input for a frame: the letterboxed [192, 192, 3] int32 pixels, copied out of
 * tfjs (so they can be sent to another realm and run there with detectInput), and the letterbox.
 */
export function poseInput(frame: tf.Tensor3D): { pixels: Int32Array; box: Letterbox } {
  const [height, width] = frame.shape;
  const box = letterboxOf(width, height, POSE_INPUT);
  const input = tf.tidy(() => tf.cast(letterbox(frame, box), 'int32'));
  try {
    return { pixels: input.dataSync() as Int32Array, box };
  } finally {
    input.dispose();
  }
}

/** MoveNet's output (17 x y, x, score in input fractions) → keypoints in frame fractions. */
export function keypointsFrom(values: ArrayLike<number>, box: Letterbox): Keypoint[] {
  const keypoints: Keypoint[] = [];
  for (let i = 0; i < POSE_KEYPOINTS.length; i++) {
    const { x, y } = fromLetterbox(box, values[i * 3 + 1]!, values[i * 3]!);
    keypoints.push({ x, y, score: values[i * 3 + 2]! });
  }
  return keypoints;
}

export class PoseDetector {
  private constructor(private readonly model: GraphModel) {}

  static async load(models: ModelSource, onProgress?: ProgressFn): Promise<PoseDetector> {
    return new PoseDetector(await loadGraph(models, MODEL_FILES.pose, onProgress));
  }

  /** 17 keypoints (POSE_KEYPOINTS order) in frame fractions, from an [h, w, 3] frame tensor (not disposed here). */
  async detect(frame: tf.Tensor3D): Promise<Keypoint[]> {
    const [height, width] = frame.shape;
    const box = letterboxOf(width, height, POSE_INPUT);
    const output = tf.tidy(() => this.model.execute(tf.cast(letterbox(frame, box), 'int32')) as tf.Tensor);
    return keypointsFrom(await this.read(output), box);
  }

  /** The raw output (for keypointsFrom) for pixels made by poseInput, e.g. in another realm. */
  async detectInput(pixels: Int32Array): Promise<Float32Array> {
    const output = tf.tidy(() => this.model.execute(tf.tensor4d(pixels, [1, POSE_INPUT, POSE_INPUT, 3], 'int32')) as tf.Tensor);
    return this.read(output);
  }

  dispose(): void {
    this.model.dispose();
  }

  private async read(output: tf.Tensor): Promise<Float32Array> {
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  }
}
