import { describe, expect, it } from 'vitest';
import type { BackendName } from '../src/engine/backend-names';
import { type WebglProbe, backendCandidates, probeWebgl } from '../src/worker/backend-choice';

const GPU = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';
const probe = (over: Partial<WebglProbe> = {}): WebglProbe => ({ webgl2: true, float32: true, renderer: GPU, ...over });
const names = (forced: BackendName | null, p: WebglProbe) => backendCandidates(forced, p).map((c) => c.name);

describe('backendCandidates', () => {
  it('automatic, hardware WebGL2 with float32: webgl, wasm, cpu', () => {
    const candidates = backendCandidates(null, probe());
    expect(candidates.map((c) => c.name)).toEqual(['webgl', 'wasm', 'cpu']);
    expect(candidates[0].reason).toContain(GPU);
  });

  it.each([
    ['Apple GPU', 'Apple M2'],
    ['Mesa Intel', 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)'],
    ['unknown renderer string', null],
  ])('%s counts as hardware', (_, renderer) => {
    expect(names(null, probe({ renderer }))).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it.each([
    ['no WebGL2', { webgl2: false, float32: false, renderer: null }, /WebGL2/],
    ['WebGL2 without float32 render targets', { float32: false }, /float32/],
    ['SwiftShader', { renderer: 'Google SwiftShader' }, /software/],
    ['SwiftShader behind ANGLE', { renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)' }, /software/],
    ['llvmpipe', { renderer: 'llvmpipe (LLVM 15.0.7, 256 bits)' }, /software/],
    ['softpipe', { renderer: 'softpipe' }, /software/],
    ['Microsoft Basic Render Driver', { renderer: 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)' }, /software/],
  ] as const)('automatic, %s: webgl is skipped and wasm says why', (_, over, why) => {
    const candidates = backendCandidates(null, probe(over));
    expect(candidates.map((c) => c.name)).toEqual(['wasm', 'cpu']);
    expect(candidates[0].reason).toMatch(why);
    if ('renderer' in over && over.renderer) expect(candidates[0].reason).toContain(over.renderer);
  });

  it('needs float32 and webgl2 both: float32 without webgl2 is no webgl', () => {
    expect(names(null, probe({ webgl2: false, float32: true }))).toEqual(['wasm', 'cpu']);
  });

  it.each([
    ['webgl', probe(), ['webgl', 'wasm', 'cpu']],
    // asked for by name, even a software renderer is tried first
    ['webgl', probe({ renderer: 'Google SwiftShader' }), ['webgl', 'wasm', 'cpu']],
    ['webgl', probe({ webgl2: false, float32: false, renderer: null }), ['webgl', 'wasm', 'cpu']],
    ['wasm', probe(), ['wasm', 'webgl', 'cpu']],
    ['wasm', probe({ renderer: 'llvmpipe (LLVM 15.0.7, 256 bits)' }), ['wasm', 'cpu']],
    ['cpu', probe(), ['cpu', 'webgl', 'wasm']],
    ['cpu', probe({ float32: false }), ['cpu', 'wasm']],
  ] as const)('forced %s: first, then the automatic chain without it', (forced, p, want) => {
    const candidates = backendCandidates(forced, p);
    expect(candidates.map((c) => c.name)).toEqual(want);
    expect(candidates[0].reason).toMatch(/URL/);
    for (const c of candidates.slice(1)) expect(c.reason).toContain(`${forced} was asked for`);
  });

  it.each([
    ['no WebGL2 (WebGL missing or disabled)', { webgl2: false, float32: false, renderer: null }, 'WebGL2 is not available in a worker here'],
    ['no float32 render targets', { float32: false }, 'no float32 render targets here'],
  ] as const)('forced webgl, %s: the fallback says why webgl could not start', (_, over, why) => {
    const [, wasm] = backendCandidates('webgl', probe(over));
    expect(wasm).toEqual({ name: 'wasm', reason: `webgl was asked for in the URL but could not start (${why})` });
  });

  it('every candidate has a reason, names are unique, and cpu is always last', () => {
    const probes: WebglProbe[] = [];
    for (const webgl2 of [true, false]) {
      for (const float32 of [true, false]) {
        for (const renderer of [GPU, 'Google SwiftShader', 'llvmpipe', null]) probes.push({ webgl2, float32, renderer });
      }
    }
    for (const p of probes) {
      for (const forced of [null, 'webgl', 'wasm', 'cpu'] as const) {
        const candidates = backendCandidates(forced, p);
        const label = JSON.stringify({ forced, p });
        expect(new Set(candidates.map((c) => c.name)).size, label).toBe(candidates.length);
        for (const c of candidates) expect(c.reason.trim().length, label).toBeGreaterThan(0);
        if (forced !== 'cpu') expect(candidates.at(-1)!.name, label).toBe('cpu');
        expect(candidates.map((c) => c.name), label).toContain('wasm');
        const hardware = p.webgl2 && p.float32 && !/swiftshader|llvmpipe/i.test(p.renderer ?? '');
        expect(candidates.some((c) => c.name === 'webgl'), label).toBe(hardware || forced === 'webgl');
      }
    }
  });
});

describe('probeWebgl', () => {
  it('never throws; without OffscreenCanvas (Node) there is no WebGL2', () => {
    expect(probeWebgl()).toEqual({ webgl2: false, float32: false, renderer: null });
  });
});
