import { type ReactNode, memo, useEffect, useRef, useState } from 'react';

interface FrozenProps {
  /** Changes whenever the figure would draw differently. */
  version: string;
  /** May skip drawing: off screen while the runs stream in. */
  skip: boolean;
  children: ReactNode;
}

/**
 * Re-renders its children only when their version changed and skipping is not allowed. React
 * compares against the props of the last render, so a skipped figure catches up as soon as it may.
 */
const Frozen = memo(
  function Frozen({ children }: FrozenProps) {
    return children;
  },
  (before, after) => after.skip || before.version === after.version,
);

/**
 * While training streams in, a figure off screen keeps its last drawing and costs the main thread
 * nothing; once it scrolls into view, or training pauses or ends, it draws the current numbers.
 * Without IntersectionObserver (tests in jsdom) everything is always drawn.
 */
/** A figure not yet near the screen mounts anyway this long after the page opened, in an idle moment. */
const MOUNT_ANYWAY_MS = 4000;

export function OnScreen({ version, streaming, children }: { version: string; streaming: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(true);
  // A figure far below the fold mounts only once it comes near (its box is reserved in CSS).
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        setVisible(entry.isIntersecting);
        if (entry.isIntersecting) setNear(true);
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    // and once the page has been idle a while, whether it came near or not (exports, tests, a jump)
    let idle = 0;
    const timer = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(() => setNear(true), { timeout: 2000 });
      else setNear(true);
    }, MOUNT_ANYWAY_MS);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
      if (idle && typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
    };
  }, []);
  return (
    <div ref={ref} className={near ? 'on-screen' : 'on-screen on-screen-waiting'}>
      {near && (
        <Frozen version={version} skip={streaming && !visible}>
          {children}
        </Frozen>
      )}
    </div>
  );
}
