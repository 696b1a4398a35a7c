/**
 * Face mesh for head pose (head.away): @tensorflow-models/face-landmarks-detection on tfjs with
 * human-models' facemesh-detection-short.json (detector) and facemesh.json (468 landmarks).
 * maxFaces is 1: with more, the package duplicates one face on ~15% of frames (DESIGN §4).
 * refineLandmarks is off (the attention mesh needs int32 BatchMatMul, missing on wasm).
 *
 * Between frames the package tracks the face from the previous mesh and skips the detector
 * (tracking: true, the worker's mode); tests on unrelated stills pass tracking: false.
 */
import * as faceLandmarksDetection from '@tensorflow-models/face-landmarks-detection';
import type * as tf from '@tensorflow/tfjs-core';
import { headPoseFromLandmarks } from '../proctoring/head-pose';
import type { Box, HeadPose } from '../proctoring/signals';
import { MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';

/** A mesh point in frame fractions; z is depth in units of the frame width (negative = nearer the camera). */
export interface MeshPoint {
  x: number;
  y: number;
  z: number;
}

export interface FaceMesh {
  /** The 468 MediaPipe face-mesh landmarks, in frame fractions. */
  keypoints: MeshPoint[];
  /** Bounding box of the landmarks, frame fractions. */
  box: Box;
  /** Head pose from the landmarks (computed in pixels, so the frame's aspect ratio does not skew it). */
  head: HeadPose;
}

export interface DetectOptions {
  /** Reuse the previous frame's face region (video); false treats the frame as an unrelated still. Default true. */
  tracking?: boolean;
}

export const MESH_POINTS = 468;

export class FaceLandmarks {
  private constructor(private readonly detector: faceLandmarksDetection.FaceLandmarksDetector) {}

  /** onProgress gets 0..1 over both files (detector ~0.2 MB, mesh ~1.5 MB). */
  static async load(models: ModelSource, onProgress?: ProgressFn): Promise<FaceLandmarks> {
    const detector = await faceLandmarksDetection.createDetector(faceLandmarksDetection.SupportedModels.MediaPipeFaceMesh, {
      runtime: 'tfjs',
      maxFaces: 1,
      refineLandmarks: false,
      detectorModelUrl: models(MODEL_FILES.faceDetectorShort, onProgress && ((f) => onProgress(0.9 + 0.1 * f))),
      landmarkModelUrl: models(MODEL_FILES.faceMesh, onProgress && ((f) => onProgress(0.9 * f))),
    });
    onProgress?.(1);
    return new FaceLandmarks(detector);
  }

  /** The main face's mesh in an int32/float [h, w, 3] frame tensor (not disposed here), or null when none. */
  async detect(frame: tf.Tensor3D, options: DetectOptions = {}): Promise<FaceMesh | null> {
    const [height, width] = frame.shape;
    // Even in static mode the package merges in the previous frame's face region: reset for a true still.
    if (options.tracking === false) this.detector.reset();
    const faces = await this.detector.estimateFaces(frame, { flipHorizontal: false, staticImageMode: options.tracking === false });
    const face = faces[0];
    if (!face || face.keypoints.length < MESH_POINTS) return null;
    const pixels = face.keypoints.slice(0, MESH_POINTS).map((k) => ({ x: k.x, y: k.y, z: k.z ?? 0 }));
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const p of pixels) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
    const x0 = Math.max(0, minX / width);
    const y0 = Math.max(0, minY / height);
    return {
      keypoints: pixels.map((p) => ({ x: p.x / width, y: p.y / height, z: p.z / width })),
      box: { x: x0, y: y0, w: Math.min(1, maxX / width) - x0, h: Math.min(1, maxY / height) - y0 },
      head: headPoseFromLandmarks(pixels),
    };
  }

  /** Forget the tracked face (e.g. after a gap in the video). */
  reset(): void {
    this.detector.reset();
  }

  dispose(): void {
    this.detector.dispose();
  }
}
