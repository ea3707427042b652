/**
 * A panel's animation as a WebM video: the shown step is replayed from 0 while a compositing canvas,
 * repainted from the panel's DOM as fast as it can be redrawn, is captured by MediaRecorder.
 */
import { goLive, replay, scrubTo, usePlayback } from '../../state/playback';
import { drawPanel, panelSvg } from './image';
import { webmType } from './webm';

export interface RecordOptions {
  /** CSS-to-video pixel scale (1: the panel's CSS size; video stays small enough for slides). */
  scale?: number;
  /** Stop after this long whatever happens. */
  maxMs?: number;
  /** The still frames kept after the replay ends, so the last step shows. */
  tailMs?: number;
  /** At most this long to wait for the encoder to start. */
  startMs?: number;
  signal?: AbortSignal;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Record the panel while the shown step replays from 0 to the end of what is computed; resolves
 * with the WebM. The view returns to the step it showed before.
 */
export async function recordPanel(figure: Element, { scale = 1, maxMs = 60_000, tailMs = 1000, startMs = 5000, signal }: RecordOptions = {}): Promise<Blob> {
  const type = webmType();
  if (!type) throw new Error('this browser cannot record WebM video');
  figure.scrollIntoView({ block: 'nearest' });
  const first = panelSvg(figure);
  // At most 1280 pixels wide (real-time encoding on modest machines); even sizes, as encoders like.
  const k = Math.min(scale, 1280 / first.width);
  const w = 2 * Math.round((first.width * k) / 2);
  const h = 2 * Math.round((first.height * k) / 2);
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
  let bytes = 0;
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
    bytes += e.data.size;
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  const before = usePlayback.getState().pinned;
  recorder.start(200);
  try {
    // The encoder may take seconds to start on a slow machine: hold the first frame until it
    // delivers video, so that the replay is in the file from its first step.
    scrubTo(0);
    const warm = performance.now() + startMs;
    while (bytes < 200 && performance.now() < warm && !signal?.aborted) {
      await paint();
      await sleep(100);
    }
    const started = performance.now();
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
    await stopped;
    stream.getTracks().forEach((track) => track.stop());
    if (before === null) goLive();
    else scrubTo(before);
  }
  if (signal?.aborted) throw new DOMException('recording stopped', 'AbortError');
  if (!chunks.length) throw new Error('the recording came out empty');
  return new Blob(chunks, { type: 'video/webm' });
}
