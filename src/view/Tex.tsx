import { useEffect, useState } from 'react';

type Katex = typeof import('katex').default;

/** KaTeX is loaded on first use, in its own chunk: the page draws before the math typesets. */
let katexPromise: Promise<Katex> | null = null;
function loadKatex(): Promise<Katex> {
  katexPromise ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => m.default);
  return katexPromise;
}

const cache = new Map<string, string>();

/**
 * TeX typeset by KaTeX. Until KaTeX has loaded (and in tests without it), the TeX source shows as
 * plain text. Only the page's own constant strings are typeset: never text from the URL.
 */
export function Tex({ tex, display = false }: { tex: string; display?: boolean }) {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const [html, setHtml] = useState<string | null>(() => cache.get(key) ?? null);
  useEffect(() => {
    if (html !== null) return;
    let live = true;
    loadKatex()
      .then((katex) => {
        const rendered = katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
        cache.set(key, rendered);
        if (live) setHtml(rendered);
      })
      .catch(() => {
        // the fallback text stays: the formula is still readable
      });
    return () => {
      live = false;
    };
  }, [html, key, tex, display]);
  if (html === null) return <code className={display ? 'tex tex-display' : 'tex'}>{tex}</code>;
  // KaTeX output of a constant TeX string written in this code base, never of user input.
  return <span className={display ? 'tex tex-display' : 'tex'} dangerouslySetInnerHTML={{ __html: html }} />;
}
