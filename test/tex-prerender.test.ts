/**
 * Build-time math (build/tex-prerender.ts): which TeX strings of the source it typesets, and that
 * its HTML is what the client's KaTeX fallback would produce for the same key.
 */
import { fileURLToPath } from 'node:url';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { prerenderTex, texKey, texStrings } from '../build/tex-prerender';
import { DEFAULT_CONFIG } from '../src/sim/params';

describe('TeX typeset at build time', () => {
  it('finds JSX strings, String.raw and plain templates, display mode, and the default parameters in templates', () => {
    const source = [
      '<Tex tex="w^*" />',
      '<Tex display tex="f(X)=\\sum_r" />',
      '<Tex tex={String.raw`y\\sum_r`} />',
      '<Tex tex={`\\\\beta \\\\ll \\\\alpha`} />',
      '<Tex tex={`m = ${config.m}`} />',
      '<Tex tex={`s = ${signalPatch + 1}`} />',
      '<Tex tex={formula} />',
    ].join('\n');
    expect(texStrings(source)).toEqual([
      { tex: 'w^*', display: false },
      { tex: 'f(X)=\\sum_r', display: true },
      { tex: 'y\\sum_r', display: false },
      { tex: '\\beta \\ll \\alpha', display: false },
      { tex: `m = ${DEFAULT_CONFIG.m}`, display: false },
    ]);
  });

  it('typesets every constant string of src/ exactly as KaTeX does on the client', () => {
    const all = prerenderTex(fileURLToPath(new URL('../src/', import.meta.url)));
    const key = texKey('w^*', false);
    expect(Object.keys(all).length).toBeGreaterThan(20);
    expect(all[key]).toBe(katex.renderToString('w^*', { displayMode: false, throwOnError: false, output: 'htmlAndMathml' }));
    expect(Object.keys(all).some((k) => k.startsWith('D'))).toBe(true);
    // no string failed to parse (KaTeX marks those with katex-error)
    expect(Object.values(all).filter((html) => html.includes('katex-error'))).toEqual([]);
  });
});
