import { PanelFrame } from './Panel';
import type { PanelProps } from './types';

/** Placeholder until the data panel is drawn. */
export function DataPanel({ highlighted }: PanelProps) {
  return (
    <PanelFrame id="data" title="Data" caption="(being built)" highlighted={highlighted}>
      <p>…</p>
    </PanelFrame>
  );
}
