/**
 * Which browsers Tanu runs in, said on the first screen before the candidate spends any
 * time. Pure: the user agent and the features found in this browser come in, the verdict leaves.
 *
 * The user agent names the browser and its version (what we can tell the candidate to update); the
 * features decide (a browser that reports a new version but lacks a feature is still refused, and
 * one we do not know by name is judged by its engine's features alone when it is a Chromium or Gecko).
 *
 * Tested here: Chromium 156 (Debian) and Firefox ESR 153 (Debian), end to end in e2e/. The minimums
 * are the oldest versions with every feature the exam uses (module workers, OffscreenCanvas in
 * workers, AudioWorklet, WebAssembly with 'wasm-unsafe-eval', MediaRecorder to WebM) and still
 * maintained by their makers: Firefox 140 is the older ESR line; Chromium-based browsers from 120.
 */

/** The oldest major versions Tanu supports, by engine. */
export const MIN_BROWSER_VERSION = { chromium: 120, firefox: 140 } as const;

export type BrowserEngine = 'chromium' | 'firefox' | 'safari' | 'other';
export const BROWSER_NAMES = ['chrome', 'edge', 'yandex', 'opera', 'chromium', 'firefox', 'safari', 'other'] as const;
export type BrowserName = (typeof BROWSER_NAMES)[number];
export const isBrowserName = (v: unknown): v is BrowserName => (BROWSER_NAMES as readonly unknown[]).includes(v);

export interface BrowserIdentity {
  name: BrowserName;
  engine: BrowserEngine;
  /** The engine's major version (Chrome/… for every Chromium-based browser), null when not given. */
  version: number | null;
  /** A phone or tablet: the exam is taken on a computer with a webcam (rule 10). */
  mobile: boolean;
}

/** What the exam uses, found in this browser (browserFeatures() in system-check.ts measures them). */
export type BrowserFeatures = Record<(typeof BROWSER_FEATURES)[number], boolean>;

export const BROWSER_REFUSALS = ['mobile', 'unknown_browser', 'old_version', 'missing_features'] as const;
export type BrowserRefusal = (typeof BROWSER_REFUSALS)[number];
export const isBrowserRefusal = (v: unknown): v is BrowserRefusal => (BROWSER_REFUSALS as readonly unknown[]).includes(v);
/** The names of BrowserFeatures, for the log entry that says which were missing. */
export const BROWSER_FEATURES = [
  'getUserMedia',
  'mediaRecorderWebm',
  'webAssembly',
  'indexedDb',
  'workers',
  'offscreenCanvas',
  'audioWorklet',
] as const;

export type BrowserVerdict =
  | { ok: true; browser: BrowserIdentity }
  | { ok: false; reason: BrowserRefusal; browser: BrowserIdentity; missing: Array<keyof BrowserFeatures>; minVersion: number | null };

const major = (ua: string, re: RegExp): number | null => {
  const m = re.exec(ua);
  return m ? Number(m[1]) : null;
};

export function identifyBrowser(userAgent: string): BrowserIdentity {
  const ua = userAgent;
  const mobile = /Android|iPhone|iPad|iPod|Mobile|Tablet/i.test(ua);
  // Order matters: every Chromium-based browser also says Chrome/ and Safari/; Firefox says neither.
  if (/Firefox\/\d+/.test(ua) && !/Seamonkey/i.test(ua))
    return { name: 'firefox', engine: 'firefox', version: major(ua, /Firefox\/(\d+)/), mobile };
  if (/FxiOS\//.test(ua)) return { name: 'firefox', engine: 'safari', version: major(ua, /FxiOS\/(\d+)/), mobile: true };
  const chrome = major(ua, /Chrom(?:e|ium)\/(\d+)/);
  if (chrome !== null) {
    const name: BrowserName = /Edg(?:e|A|iOS)?\//.test(ua)
      ? 'edge'
      : /YaBrowser\//.test(ua)
        ? 'yandex'
        : /OPR\//.test(ua)
          ? 'opera'
          : /Chromium\//.test(ua)
            ? 'chromium'
            : 'chrome';
    return { name, engine: 'chromium', version: chrome, mobile };
  }
  if (/Version\/\d+.*Safari\//.test(ua)) return { name: 'safari', engine: 'safari', version: major(ua, /Version\/(\d+)/), mobile };
  return { name: 'other', engine: 'other', version: null, mobile };
}

export function judgeBrowser(userAgent: string, features: BrowserFeatures): BrowserVerdict {
  const browser = identifyBrowser(userAgent);
  const missing = (Object.keys(features) as Array<keyof BrowserFeatures>).filter((k) => !features[k]);
  const minVersion = browser.engine === 'chromium' || browser.engine === 'firefox' ? MIN_BROWSER_VERSION[browser.engine] : null;
  const refuse = (reason: BrowserRefusal): BrowserVerdict => ({ ok: false, reason, browser, missing, minVersion });
  if (browser.mobile) return refuse('mobile');
  // Safari and unknown engines are refused by name even with every feature present: the exam has not
  // been tested there, and a candidate should not find that out in the middle of it.
  if (minVersion === null) return refuse('unknown_browser');
  if (browser.version !== null && browser.version < minVersion) return refuse('old_version');
  if (missing.length > 0) return refuse('missing_features');
  return { ok: true, browser };
}
