import { PanelFrame } from './Panel';
import type { PanelProps } from './types';

/** Placeholder until the memory panel is drawn. */
export function MemoryPanel({ highlighted }: PanelProps) {
  return (
    <PanelFrame id="memory" title="Memory" caption="(being built)" highlighted={highlighted}>
      <p>…</p>
    </PanelFrame>
  );
}
