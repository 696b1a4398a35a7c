/**
 * A camera that plays an MJPEG clip, for Firefox. Chromium plays a clip as its fake camera
 * (--use-file-for-fake-video-capture); Firefox's fake camera is a colour pattern with no face, on which
 * the identity step and the room scan cannot pass. So, before the page's own scripts run, the test
 * replaces getUserMedia's video with a canvas that draws the clip's frames (captureStream), and hands
 * the frames over from Node. The microphone is a quiet room (white noise at about -60 dBFS, what
 * silence.wav gives Chromium): Firefox's own fake microphone is a loud steady tone, which the noise
 * detector rightly reports. The app is not changed: it sees a camera and a microphone like any
 * other (640×480 at 30 frames per second, as the fixtures are).
 *
 * The script is a string: the page runs it as it is, without this file's compiled helpers.
 */
import type { Page } from 'puppeteer-core';
import { MJPEG_FPS, MjpegClip } from './mjpeg';

const INSTALL = `(() => {
  const FPS = ${MJPEG_FPS};
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const ctx = canvas.getContext('2d');
  let frames = [];
  let index = 0;
  let drawing = false;
  setInterval(() => {
    if (drawing || frames.length === 0) return;
    drawing = true;
    const blob = frames[index % frames.length];
    index += 1;
    createImageBitmap(blob).then((bitmap) => {
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
    }).finally(() => { drawing = false; });
  }, 1000 / FPS);
  const clip = {
    load(base64Frames) {
      frames = base64Frames.map((b) => new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
      index = 0;
    },
  };
  Object.defineProperty(window, '__tanuClipCamera', { value: clip });
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let room = null;
  function quietRoom() {
    if (room) return room;
    const context = new AudioContext();
    const noise = context.createBuffer(1, context.sampleRate * 2, context.sampleRate);
    const samples = noise.getChannelData(0);
    for (let i = 0; i < samples.length; i++) samples[i] = (Math.random() * 2 - 1) * 0.0017;
    const source = context.createBufferSource();
    source.buffer = noise;
    source.loop = true;
    const out = context.createMediaStreamDestination();
    source.connect(out);
    source.start();
    void context.resume();
    room = out.stream;
    return room;
  }
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (constraints && constraints.audio && !constraints.video) return new MediaStream(quietRoom().getAudioTracks().map((t) => t.clone()));
    if (!constraints || !constraints.video) return original(constraints);
    const stream = canvas.captureStream(FPS);
    const [track] = stream.getVideoTracks();
    const settings = track.getSettings.bind(track);
    track.getSettings = () => ({ ...settings(), width: canvas.width, height: canvas.height, frameRate: FPS });
    Object.defineProperty(track, 'label', { value: 'Clip camera (test)' });
    if (constraints.audio) for (const t of quietRoom().getAudioTracks()) stream.addTrack(t.clone());
    return stream;
  };
})();`;

/** Call before the page opens the exam link. */
export async function installClipCamera(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(INSTALL);
}

/** Plays `file` (e2e/fixtures) on the page's clip camera from its first frame, looping. */
export async function playClip(page: Page, file: string): Promise<void> {
  const clip = new MjpegClip(file);
  const frames = clip.frames.map((_, i) => Buffer.from(clip.jpegAt(i)).toString('base64'));
  await page.evaluate(`window.__tanuClipCamera.load(${JSON.stringify(frames)})`);
}
