/** Geometry of detection boxes (frame fractions or pixels alike), shared by the detectors. */
import type { Box } from './signals';

/** A value held to 0..1 (box edges and scores in frame fractions). */
export const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** Intersection over union of two boxes: 0 when they do not touch, 1 when they are the same. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}
