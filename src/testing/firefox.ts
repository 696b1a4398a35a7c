/**
 * Headless Firefox for the browser tests: Debian's firefox-esr driven by puppeteer-core
 * over WebDriver BiDi (Playwright's Firefox is its own patched build, which cannot be downloaded
 * here). A missing browser is a failure, never a skip.
 *
 * Camera and microphone are Firefox's own fake devices (prefs below): a moving colour pattern with
 * no face in it and a steady tone. Sound: Firefox runs an audio graph on the clock of a sound output
 * device; a machine with none leaves every AudioContext suspended (a hang, which the
 * candidate's page now reports within seconds). A candidate's computer has speakers or headphones;
 * this machine has no sound card, so `sound: 'null-device'` gives Firefox ALSA's null output (the
 * sound goes nowhere) through a .asoundrc in a home folder of its own. `sound: 'none'` leaves the
 * machine as it is, to test the candidate's side of that case.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean) as string[];

export function firefoxPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `Firefox not found (looked at ${CANDIDATES.join(', ')}). Install it with 'apt-get install firefox-esr' or set FIREFOX_PATH.`,
    );
  return found;
}

export const FIREFOX_PREFS: Record<string, unknown> = {
  // fake camera and microphone, no permission prompt (what a candidate grants with a click)
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // the candidate has clicked on the page before any sound starts; autoplay rules are not under test
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
  // no updates, telemetry or first-run pages on a closed network
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

export interface FirefoxHandle {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(options: { sound: 'null-device' | 'none' } = { sound: 'null-device' }): Promise<FirefoxHandle> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tanu-firefox-'));
  if (options.sound === 'null-device')
    writeFileSync(path.join(home, '.asoundrc'), 'pcm.!default { type null }\nctl.!default { type hw card 0 }\n');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
    // HOME: where ALSA looks for .asoundrc; nothing else of the user's is read (the profile is a fresh temporary one)
    env: { ...process.env, HOME: home },
    defaultViewport: { width: 1280, height: 800 },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
