import { PanelFrame } from './Panel';
import type { PanelProps } from './types';

/** Placeholder until the race panel is drawn. */
export function RacePanel({ highlighted }: PanelProps) {
  return (
    <PanelFrame id="race" title="Race" caption="(being built)" highlighted={highlighted}>
      <p>…</p>
    </PanelFrame>
  );
}
