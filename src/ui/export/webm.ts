/** Which WebM this browser can record: a small module, so the recorder itself loads only when used. */

/** VP8 first: it encodes in real time on slow machines, where VP9 may drop every frame. */
const TYPES = ['video/webm;codecs=vp8', 'video/webm', 'video/webm;codecs=vp9'];

/** The WebM type this browser records, or null (no MediaRecorder, no WebM, no canvas capture). */
export function webmType(): string | null {
  if (typeof MediaRecorder === 'undefined' || typeof HTMLCanvasElement === 'undefined') return null;
  if (typeof HTMLCanvasElement.prototype.captureStream !== 'function') return null;
  return TYPES.find((t) => MediaRecorder.isTypeSupported(t)) ?? null;
}
