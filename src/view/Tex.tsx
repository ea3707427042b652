import { useEffect, useRef, useState } from 'react';
import prerendered from 'virtual:tex-prerendered';
import 'katex/dist/katex.min.css';

type Katex = typeof import('katex').default;

/**
 * Typeset at build time (build/tex-prerender.ts): every constant TeX string of the source, so the
 * first view's math needs no KaTeX code. KaTeX's CSS ships with the page's; its fonts load as usual.
 */
const PRERENDERED: Readonly<Record<string, string>> = prerendered;

/** The rest (strings built from values) loads KaTeX on first use, in its own chunk. */
let katexPromise: Promise<Katex> | null = null;
function loadKatex(): Promise<Katex> {
  katexPromise ??= import('katex').then((m) => m.default);
  return katexPromise;
}

const cache = new Map<string, string>();
const texKey = (tex: string, display: boolean) => `${display ? 'D' : 'I'}${tex}`;

/** The HTML of `tex` when it is known without KaTeX: typeset at build time or already here. */
export function typesetTex(tex: string, display = false): string | null {
  const key = texKey(tex, display);
  return PRERENDERED[key] ?? cache.get(key) ?? null;
}

/**
 * TeX typeset by KaTeX. A string typeset at build time shows at once; any other shows as plain
 * text until KaTeX has loaded, which it does only once that text comes near the screen (and in
 * tests without IntersectionObserver, at once). Only the page's own strings are typeset: never
 * text from the URL.
 */
export function Tex({ tex, display = false }: { tex: string; display?: boolean }) {
  const key = texKey(tex, display);
  const [typeset, setTypeset] = useState<{ key: string; html: string } | null>(null);
  const ref = useRef<HTMLElement>(null);
  const html = typesetTex(tex, display) ?? (typeset?.key === key ? typeset.html : null);
  useEffect(() => {
    if (html !== null) return;
    let live = true;
    const run = () =>
      loadKatex()
        .then((katex) => {
          const rendered = katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
          cache.set(key, rendered);
          if (live) setTypeset({ key, html: rendered });
        })
        .catch(() => {
          // the fallback text stays: the formula is still readable
        });
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') {
      void run();
      return () => {
        live = false;
      };
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        void run();
      },
      { rootMargin: '600px' },
    );
    observer.observe(el);
    return () => {
      live = false;
      observer.disconnect();
    };
  }, [html, key, tex, display]);
  if (html === null) {
    return (
      <code ref={ref} className={display ? 'tex tex-display' : 'tex'}>
        {tex}
      </code>
    );
  }
  // KaTeX output of a constant TeX string written in this code base, never of user input.
  return <span className={display ? 'tex tex-display' : 'tex'} dangerouslySetInnerHTML={{ __html: html }} />;
}
