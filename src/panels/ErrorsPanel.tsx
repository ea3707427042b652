import { PanelFrame } from './Panel';
import type { PanelProps } from './types';

/** Placeholder until the errors panel is drawn. */
export function ErrorsPanel({ highlighted }: PanelProps) {
  return (
    <PanelFrame id="errors" title="Errors" caption="(being built)" highlighted={highlighted}>
      <p>…</p>
    </PanelFrame>
  );
}
