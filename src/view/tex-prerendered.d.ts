/** build/tex-prerender.ts: Tex's cache key (display mode + TeX) -> KaTeX's HTML, typeset at build time. */
declare module 'virtual:tex-prerendered' {
  const prerendered: Record<string, string>;
  export default prerendered;
}
