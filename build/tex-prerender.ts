/**
 * Build-time math: every constant TeX string written in src/ as `<Tex tex="..." />` (a JSX string,
 * a `String.raw` template or a template without `${}`) is typeset by KaTeX here, in Node, into the
 * virtual module `virtual:tex-prerendered` (a map from `Tex`'s cache key to KaTeX's HTML). The page
 * then shows typeset math in its first paint without loading or running KaTeX; only strings that
 * are not constant (a parameter's value, a map's cell) load KaTeX on the client, when shown.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import type { Plugin } from 'vite';
import { DEFAULT_CONFIG } from '../src/sim/params';

export const TEX_MODULE = 'virtual:tex-prerendered';
const RESOLVED = `\0${TEX_MODULE}`;

/** The same options as the client's fallback (src/view/Tex.tsx), so both give the same HTML. */
export function renderTex(tex: string, display: boolean): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
}

/** `Tex`'s cache key: display mode and source. */
export const texKey = (tex: string, display: boolean) => `${display ? 'D' : 'I'}${tex}`;

/** A template literal's cooked value (no `${}`): the escapes JavaScript would resolve. */
function cook(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, e: string) => {
    if (e[0] === 'u' && e.length > 1) return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** The constant TeX strings of one source file, with their display mode. */
export function texStrings(source: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  // <Tex ...attributes... /> : attributes never hold '>' outside a tex value, which is matched first
  const tag = /<Tex\b((?:\s+(?:display(?:=\{(?:true|false)\})?|tex=(?:"[^"]*"|\{String\.raw`[^`]*`\}|\{`[^`]*`\}|\{[^}]*\})))+)\s*\/>/g;
  for (const [, attrs] of source.matchAll(tag)) {
    const display = /(^|\s)display(\s|$|=\{true\})/.test(attrs.replace(/tex=(?:"[^"]*"|\{[\s\S]*\})/, ' '));
    const m = /tex=(?:"([^"]*)"|\{String\.raw`([^`]*)`\}|\{`([^`]*)`\})/.exec(attrs);
    if (!m) continue; // a variable: typeset on the client
    const [, jsx, raw, template] = m;
    if (jsx !== undefined) out.push({ tex: jsx, display });
    else if (raw !== undefined && !raw.includes('${')) out.push({ tex: raw, display });
    else if (template !== undefined) {
      // `${config.m}` and the like: the default parameters' value, the one the page opens with
      const filled = template.replace(/\$\{config\.(\w+)\}/g, (whole, key: string) =>
        key in DEFAULT_CONFIG ? String(DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG]) : whole,
      );
      if (!filled.includes('${')) out.push({ tex: cook(filled), display });
    }
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every constant TeX string under `dir`, typeset: key -> HTML. */
export function prerenderTex(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of sources(dir)) {
    for (const { tex, display } of texStrings(readFileSync(file, 'utf8'))) out[texKey(tex, display)] ??= renderTex(tex, display);
  }
  return out;
}

/** The Vite plugin: `import prerendered from 'virtual:tex-prerendered'`. */
export function texPrerender(srcDir: string): Plugin {
  return {
    name: 'tex-prerender',
    resolveId: (id) => (id === TEX_MODULE ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      for (const file of sources(srcDir)) this.addWatchFile(file);
      return `export default ${JSON.stringify(prerenderTex(srcDir))};`;
    },
  };
}
