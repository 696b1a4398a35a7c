/**
 * Headless Chromium for the browser tests and the bench: Debian's /usr/bin/chromium driven by
 * playwright-core, with a fake camera and microphone fed from files (DESIGN §5).
 * A missing browser is a failure, never a skip.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../server/config';

/** Fake camera and microphone files (see e2e/fixtures/README.md). */
export const FIXTURES = path.join(PROJECT_ROOT, 'e2e', 'fixtures');
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(
  Boolean,
) as string[];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium not found (looked at ${CANDIDATES.join(', ')}). Install it with 'apt-get install chromium' or set CHROMIUM_PATH.`,
    );
  }
  return found;
}

export async function launchChromium(media: { video: string; audio: string }): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${path.resolve(FIXTURES, media.video)}`,
      `--use-file-for-fake-audio-capture=${path.resolve(FIXTURES, media.audio)}`,
      '--autoplay-policy=no-user-gesture-required',
      // The proctor's live camera between two browsers on this machine: loopback ICE candidates,
      // and real addresses instead of mDNS names (nothing resolves .local here). Tests keep it on loopback.
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
}
