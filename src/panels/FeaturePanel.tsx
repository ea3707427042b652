import { PanelFrame } from './Panel';
import type { PanelProps } from './types';

/** Placeholder until the feature panel is drawn. */
export function FeaturePanel({ highlighted }: PanelProps) {
  return (
    <PanelFrame id="feature" title="Feature" caption="(being built)" highlighted={highlighted}>
      <p>…</p>
    </PanelFrame>
  );
}
