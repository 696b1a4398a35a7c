/**
 * The rig every browser test shares: one Chromium per file with the fake camera and
 * microphone, and per test a fresh centre (real server, the built app) and browser
 * contexts that are closed afterwards.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { PROJECT_ROOT } from '../../src/server/config';
import { startHarness, type Harness } from '../../src/testing/centre-harness';
import { launchChromium } from '../../src/testing/chromium';

export const DEFAULT_MEDIA = { video: 'single-face-5s.mjpeg', audio: 'silence.wav' };

/** Per test a fresh centre (real server, the built app), for a file that starts its own browser. */
export function centreSuite() {
  let harness: Harness | null = null;
  beforeAll(() => {
    if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'index.html')))
      throw new Error('the app is not built: run `npm run build` (npm test does it first)');
  });
  beforeEach(async () => {
    harness = await startHarness({ withApp: true });
  });
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });
  return {
    get centre(): Harness {
      if (!harness) throw new Error('no centre outside a test');
      return harness;
    },
  };
}

export function browserSuite(media = DEFAULT_MEDIA) {
  let browser: Browser | null = null;
  let contexts: BrowserContext[] = [];
  // Registered first, so that (hooks run as a stack) its contexts are closed before the centre.
  const centre = centreSuite();

  beforeAll(async () => {
    browser = await launchChromium(media);
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });

  return {
    get centre(): Harness {
      return centre.centre;
    },
    /** bypassCSP only where a test injects its own script (the accessibility checker); the app itself runs under the CSP. */
    /** userAgent: a test of what the first screen says to another browser. */
    async newContext(locale: string, options: { bypassCSP?: boolean; userAgent?: string } = {}): Promise<BrowserContext> {
      if (!browser) throw new Error('Chromium did not start');
      const context = await browser.newContext({
        locale,
        viewport: { width: 1280, height: 800 },
        bypassCSP: options.bypassCSP ?? false,
        ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      });
      contexts.push(context);
      return context;
    },
  };
}
