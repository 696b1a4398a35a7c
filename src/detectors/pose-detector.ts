/**
 * Body pose (body.left / body.motion): MoveNet SinglePose Lightning from human-models
 * (movenet-lightning.json, int32 input [1, 192, 192, 3], output [1, 1, 17, 3] = y, x, score
 * in input fractions). The frame is letterboxed to a square first so the body is not squashed;
 * keypoints come back in fractions of the original frame.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Keypoint } from '../proctoring/signals';
import { loadGraph, MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';

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

const INPUT = 192;

export class PoseDetector {
  private constructor(private readonly model: GraphModel) {}

  static async load(models: ModelSource, onProgress?: ProgressFn): Promise<PoseDetector> {
    return new PoseDetector(await loadGraph(models, MODEL_FILES.pose, onProgress));
  }

  /** 17 keypoints (POSE_KEYPOINTS order) in frame fractions, from an [h, w, 3] frame tensor (not disposed here). */
  async detect(frame: tf.Tensor3D): Promise<Keypoint[]> {
    const [height, width] = frame.shape;
    const side = Math.max(width, height);
    const padTop = Math.floor((side - height) / 2);
    const padLeft = Math.floor((side - width) / 2);
    const output = tf.tidy(() => {
      const square = tf.pad(frame, [
        [padTop, side - height - padTop],
        [padLeft, side - width - padLeft],
        [0, 0],
      ]);
      const input = tf.cast(tf.image.resizeBilinear(tf.expandDims(square, 0) as tf.Tensor4D, [INPUT, INPUT]), 'int32');
      return this.model.execute(input) as tf.Tensor;
    });
    const values = await output.data();
    output.dispose();
    const keypoints: Keypoint[] = [];
    for (let i = 0; i < POSE_KEYPOINTS.length; i++) {
      const y = values[i * 3]!;
      const x = values[i * 3 + 1]!;
      keypoints.push({ x: (x * side - padLeft) / width, y: (y * side - padTop) / height, score: values[i * 3 + 2]! });
    }
    return keypoints;
  }

  dispose(): void {
    this.model.dispose();
  }
}
