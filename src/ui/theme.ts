/**
 * Colours, marks and sizes: the one place they are defined.
 * Okabe-Ito colours (safe for the common colour-vision deficiencies), and every run also has a
 * second cue - a dash pattern and a marker - so nothing depends on colour alone.
 */
export const RUN_STYLE: Record<string, { label: string; color: string; dash: string; marker: 'circle' | 'square' }> = {
  gd: { label: 'GD', color: '#D55E00', dash: 'none', marker: 'circle' },
  gdm: { label: 'GD+M', color: '#0072B2', dash: '6 3', marker: 'square' },
};
