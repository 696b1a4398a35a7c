/**
 * Browsers' product names, written as their makers write them in every language (the Yandex one and
 * "unknown browser" are translated in each catalogue).
 */
export const BROWSER_PRODUCT_NAMES = {
  'browser.name.chrome': 'Google Chrome',
  'browser.name.edge': 'Microsoft Edge',
  'browser.name.opera': 'Opera',
  'browser.name.chromium': 'Chromium',
  'browser.name.firefox': 'Mozilla Firefox',
  'browser.name.safari': 'Safari',
} as const;

/** The first screen's word on this browser, and the failures that used to wait for ever. */
export const browserEn = {
  ...BROWSER_PRODUCT_NAMES,
  'browser.title': 'This browser cannot run the exam',
  'browser.mobile':
    'The exam is taken on a computer (desktop or laptop) with a webcam and a microphone, not on a phone or tablet. Open this link on a computer.',
  'browser.unknown_browser':
    'The exam has not been checked in this browser ({name}), and it may stop in the middle. Open this link in one of the browsers below.',
  'browser.old_version':
    'This version of {name} ({version}) is too old for the exam. Update it to version {minVersion} or newer, or open the link in another browser below.',
  'browser.missing_features':
    'This browser lacks what the exam needs to watch the camera and microphone and to keep your answers if the connection drops. Update it, or open the link in another browser below.',
  'browser.supported':
    'The exam works in: Google Chrome, Microsoft Edge, Yandex Browser and Opera from version {chromium}; Mozilla Firefox from version {firefox}.',
  'browser.name.yandex': 'Yandex Browser',
  'browser.name.other': 'unknown browser',
  'browser.why.mobile': 'a phone or tablet',
  'browser.why.unknown_browser': 'a browser the exam has not been checked in',
  'browser.why.old_version': 'too old a version',
  'browser.why.missing_features': 'features the exam needs are missing',
  'event.browser.unsupported': 'The browser cannot run the exam: {browser} {version} ({reason})',
  'devices.timeout':
    'The browser did not answer the request for the camera and microphone. Look for the request near the address bar, allow it, then press Try again.',
  'devices.no_sound':
    'The microphone works, but the browser could not start sound on this computer. Connect headphones or speakers (or turn the sound device on in the system settings), then press Try again.',
  'check.camera.timeout':
    'The browser did not answer the request for the camera. Look for the request near the address bar, allow it, then check again.',
  'check.microphone.timeout':
    'The browser did not answer the request for the microphone. Look for the request near the address bar, allow it, then check again.',
  'check.microphone.no_sound':
    'The browser could not start sound on this computer, so the microphone cannot be listened to. Connect headphones or speakers (or turn the sound device on in the system settings) and check again.',
} as const;
