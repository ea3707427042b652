/** The reader's prefers-reduced-motion setting: replays jump, dots do not glide, scrolls do not animate. */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
