/**
 * A panel's animation as a WebM video: the shown step is replayed from 0 while a compositing canvas,
 * repainted from the panel's DOM as fast as it can be redrawn, is captured by MediaRecorder.
 */
import { goLive, replay, scrubTo, usePlayback } from '../../state/playback';
import { drawPanel, panelSvg } from './image';

const TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

/** The WebM type this browser records, or null (no MediaRecorder, no WebM, no canvas capture). */
export function webmType(): string | null {
  if (typeof MediaRecorder === 'undefined' || typeof HTMLCanvasElement === 'undefined') return null;
  if (typeof HTMLCanvasElement.prototype.captureStream !== 'function') return null;
  return TYPES.find((t) => MediaRecorder.isTypeSupported(t)) ?? null;
}

export interface RecordOptions {
  /** CSS-to-video pixel scale (1: the panel's CSS size; video stays small enough for slides). */
  scale?: number;
  /** Stop after this long whatever happens. */
  maxMs?: number;
  /** The still frames kept after the replay ends, so the last step shows. */
  tailMs?: number;
  signal?: AbortSignal;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Record the panel while the shown step replays from 0 to the end of what is computed; resolves
 * with the WebM. The view returns to the step it showed before.
 */
export async function recordPanel(figure: Element, { scale = 1, maxMs = 60_000, tailMs = 600, signal }: RecordOptions = {}): Promise<Blob> {
  const type = webmType();
  if (!type) throw new Error('this browser cannot record WebM video');
  figure.scrollIntoView({ block: 'nearest' });
  const first = panelSvg(figure);
  // Even sizes: some encoders want them.
  const w = 2 * Math.round((first.width * scale) / 2);
  const h = 2 * Math.round((first.height * scale) / 2);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  const paint = async () => {
    const panel = panelSvg(figure);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
    await drawPanel(ctx, panel, w / panel.width);
  };
  await paint();

  const stream = canvas.captureStream(30);
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 4_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  const before = usePlayback.getState().pinned;
  recorder.start(250);
  const started = performance.now();
  try {
    replay(0);
    // The replay starts on the next animation frame: wait until it runs or has ended.
    await nextFrame();
    while (usePlayback.getState().replaying && performance.now() - started < maxMs && !signal?.aborted) {
      await paint();
      await nextFrame();
    }
    const end = performance.now() + tailMs;
    while (performance.now() < end && !signal?.aborted) {
      await paint();
      await sleep(100);
    }
  } finally {
    recorder.stop();
    stream.getTracks().forEach((track) => track.stop());
    await stopped;
    if (before === null) goLive();
    else scrubTo(before);
  }
  if (signal?.aborted) throw new DOMException('recording stopped', 'AbortError');
  return new Blob(chunks, { type: 'video/webm' });
}
