/**
 * Body pose (body.left / body.motion): MoveNet SinglePose Lightning from human-models
 * (movenet-lightning.json, int32 input [1, 192, 192, 3], output [1, 1, 17, 3] = y, x, score
 * in input fractions). The frame is letterboxed to a square first so the body is not squashed;
 * keypoints come back in fractions of the original frame.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Keypoint } from '../proctoring/signals';
import { fromLetterbox, letterbox, letterboxOf, loadGraph, MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';

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
    const box = letterboxOf(width, height, INPUT);
    const output = tf.tidy(() => this.model.execute(tf.cast(letterbox(frame, box), 'int32')) as tf.Tensor);
    let values: Float32Array;
    try {
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    const keypoints: Keypoint[] = [];
    for (let i = 0; i < POSE_KEYPOINTS.length; i++) {
      const { x, y } = fromLetterbox(box, values[i * 3 + 1]!, values[i * 3]!);
      keypoints.push({ x, y, score: values[i * 3 + 2]! });
    }
    return keypoints;
  }

  dispose(): void {
    this.model.dispose();
  }
}
