import { describe, expect, it } from 'vitest';
import { identifyBrowser, judgeBrowser, MIN_BROWSER_VERSION, type BrowserFeatures } from './browser-support';

const ALL: BrowserFeatures = {
  getUserMedia: true,
  mediaRecorderWebm: true,
  webAssembly: true,
  indexedDb: true,
  workers: true,
  offscreenCanvas: true,
  audioWorklet: true,
};

// Real user agents of each browser (as the browsers send them; versions chosen around the limits).
const UA = {
  chromiumDebian: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  chrome119: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  chrome120: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  yandex:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 YaBrowser/24.7.0.0 Safari/537.36',
  opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  firefoxEsr153: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
  firefox140: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
  firefox139: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:139.0) Gecko/20100101 Firefox/139.0',
  firefox115: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  androidChrome: 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  ie11: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
};

describe('identifyBrowser', () => {
  it.each([
    ['chromiumDebian', 'chrome', 'chromium', 156],
    ['edge', 'edge', 'chromium', 131],
    ['yandex', 'yandex', 'chromium', 126],
    ['opera', 'opera', 'chromium', 130],
    ['firefoxEsr153', 'firefox', 'firefox', 153],
    ['safari', 'safari', 'safari', 18],
    ['ie11', 'other', 'other', null],
  ] as const)('%s is %s on %s, version %s', (key, name, engine, version) => {
    expect(identifyBrowser(UA[key])).toMatchObject({ name, engine, version, mobile: false });
  });

  it('tells a phone from a computer', () => {
    expect(identifyBrowser(UA.iphone).mobile).toBe(true);
    expect(identifyBrowser(UA.androidChrome)).toMatchObject({ engine: 'chromium', mobile: true });
  });
});

describe('judgeBrowser (said on the first screen)', () => {
  it.each(['chromiumDebian', 'chrome120', 'edge', 'yandex', 'opera', 'firefoxEsr153', 'firefox140'] as const)(
    '%s with every feature is supported',
    (key) => {
      expect(judgeBrowser(UA[key], ALL).ok).toBe(true);
    },
  );

  it('refuses a version below the minimum, with the minimum to update to', () => {
    expect(judgeBrowser(UA.chrome119, ALL)).toMatchObject({ ok: false, reason: 'old_version', minVersion: MIN_BROWSER_VERSION.chromium });
    expect(judgeBrowser(UA.firefox139, ALL)).toMatchObject({ ok: false, reason: 'old_version', minVersion: 140 });
    expect(judgeBrowser(UA.firefox115, ALL)).toMatchObject({
      ok: false,
      reason: 'old_version',
      browser: { name: 'firefox', version: 115 },
    });
  });

  it('refuses Safari and unknown browsers by name, and phones before anything else', () => {
    expect(judgeBrowser(UA.safari, ALL)).toMatchObject({ ok: false, reason: 'unknown_browser', minVersion: null });
    expect(judgeBrowser(UA.ie11, ALL)).toMatchObject({ ok: false, reason: 'unknown_browser' });
    expect(judgeBrowser(UA.iphone, ALL)).toMatchObject({ ok: false, reason: 'mobile' });
    expect(judgeBrowser(UA.androidChrome, ALL)).toMatchObject({ ok: false, reason: 'mobile' });
  });

  it('refuses a new enough browser that lacks a feature, naming it', () => {
    const verdict = judgeBrowser(UA.firefoxEsr153, { ...ALL, audioWorklet: false, offscreenCanvas: false });
    expect(verdict).toMatchObject({ ok: false, reason: 'missing_features', missing: ['offscreenCanvas', 'audioWorklet'] });
  });

  it('judges a Chromium that hides its version by its features alone', () => {
    const noVersion = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/ Safari/537.36';
    expect(identifyBrowser(noVersion).engine).not.toBe('chromium'); // no number: not recognised as Chromium at all
    expect(judgeBrowser(noVersion, ALL)).toMatchObject({ ok: false, reason: 'unknown_browser' });
  });
});
