import type { BackendName } from '../engine/backend-names';

/** What the worker learns about WebGL before asking tfjs for it. */
export interface WebglProbe {
  webgl2: boolean;
  /** EXT_color_buffer_float: float32 render targets. Without them tfjs falls to float16, which distorts small gradients. */
  float32: boolean;
  renderer: string | null;
}

export interface Candidate {
  name: BackendName;
  /** Why this candidate is tried here, or why faster ones were skipped. */
  reason: string;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/**
 * Backends to try, in order. WebGL is a candidate only with WebGL2 in an OffscreenCanvas and float32
 * render targets; a software rasterizer (SwiftShader, llvmpipe) is skipped in automatic choice because
 * it runs on the CPU and the wasm backend beats it there (bench:browser measures both). A forced
 * backend is tried first and falls back down the same chain if it cannot start.
 */
export function backendCandidates(forced: BackendName | null, probe: WebglProbe): Candidate[] {
  const why = !probe.webgl2
    ? 'WebGL2 is not available in a worker here'
    : !probe.float32
      ? 'WebGL has no float32 render targets here (float16 would distort the small gradients)'
      : SOFTWARE_RENDERER.test(probe.renderer ?? '')
        ? `WebGL is software-rendered here (${probe.renderer}), slower than wasm`
        : null;
  const auto: Candidate[] = [
    ...(why ? [] : [{ name: 'webgl' as const, reason: `GPU: ${probe.renderer ?? 'WebGL2'}` }]),
    { name: 'wasm', reason: why ?? 'WebGL could not start' },
    { name: 'cpu', reason: 'neither WebGL nor WebAssembly could start' },
  ];
  if (!forced) return auto;
  // Asked for by name, WebGL is tried even so; when it fails, the probe usually knows why.
  const unusable = !probe.webgl2 ? 'WebGL2 is not available in a worker here' : !probe.float32 ? 'no float32 render targets here' : null;
  const failed = `${forced} was asked for in the URL but could not start${forced === 'webgl' && unusable ? ` (${unusable})` : ''}`;
  return [{ name: forced, reason: 'chosen in the URL' }, ...auto.filter((c) => c.name !== forced).map((c) => ({ ...c, reason: failed }))];
}

/** Probe WebGL2 in an OffscreenCanvas, as the worker's tfjs would use it. Never throws. */
export function probeWebgl(): WebglProbe {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { webgl2: false, float32: false, renderer: null };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { webgl2: false, float32: false, renderer: null };
    const float32 = gl.getExtension('EXT_color_buffer_float') !== null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { webgl2: true, float32, renderer };
  } catch {
    return { webgl2: false, float32: false, renderer: null };
  }
}
