// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { DataPanel } from '../../src/panels/DataPanel';
import type { PanelData } from '../../src/state/panel-data';
import { FIXTURE_CONFIG, fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});

const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

describe('data panel', () => {
  it('draws each example as P rows of d cells holding its patch entries', () => {
    const { container, unmount } = render(<DataPanel data={data} t={0} range={null} />);
    expect(container.querySelector('[data-panel=data]')).not.toBeNull();
    const blocks = container.querySelectorAll('.data-example');
    expect(blocks.length).toBe(2);
    blocks.forEach((block, e) => {
      const ex = data.examples[e];
      expect(num(block, 'data-index')).toBe(ex.index);
      const rows = block.querySelectorAll('.data-row');
      expect(rows.length).toBe(FIXTURE_CONFIG.P);
      rows.forEach((row, j) => {
        const cells = row.querySelectorAll('.data-cell');
        expect(cells.length).toBe(FIXTURE_CONFIG.d);
        cells.forEach((cell, k) => {
          const v = ex.patches[j * ex.d + k];
          expect(num(cell, 'data-value')).toBe(v);
          expect(cell.classList.contains(v >= 0 ? 'data-pos' : 'data-neg')).toBe(true);
          expect(cell.querySelector('title')!.textContent).toContain(`X[${j + 1}]_${k + 1}`);
        });
      });
    });
    unmount();
  });

  it('marks the signal patch and labels signal and noise', () => {
    const { container, unmount } = render(<DataPanel data={data} t={0} range={null} />);
    container.querySelectorAll('.data-example').forEach((block, e) => {
      const ex = data.examples[e];
      const signal = block.querySelectorAll('.data-row[data-signal="1"]');
      expect(signal.length).toBe(1);
      expect(num(signal[0], 'data-patch')).toBe(ex.signalPatch);
      expect(signal[0].querySelector('.data-signal-outline')).not.toBeNull();
      expect(block.querySelectorAll('.data-signal-outline').length).toBe(1);
      expect(signal[0].querySelector('.data-cell title')!.textContent).toContain(`signal patch X[${ex.signalPatch + 1}] = y·${ex.small ? 'β' : 'α'}·w*`);
      const noise = block.querySelector('.data-row[data-signal="0"] .data-cell title')!.textContent;
      expect(noise).toContain('noise patch');
      expect(noise).toContain('N(0, σ²(I − w*w*ᵀ))');
      expect(block.querySelector('.data-key')!.textContent).toContain(`s = ${ex.signalPatch + 1}`);
    });
    unmount();
  });

  it('draws bars proportional to the projection on w*, with its sign, and zero for noise', () => {
    const { container, unmount } = render(<DataPanel data={data} t={0} range={null} />);
    const zero = num(container.querySelector('.data-zero')!, 'x1');
    const ratios: number[] = [];
    container.querySelectorAll('.data-example').forEach((block, e) => {
      const ex = data.examples[e];
      block.querySelectorAll('.data-row').forEach((row, j) => {
        const bar = row.querySelector('.data-along')!;
        const a = ex.alongFeature[j];
        const w = num(bar, 'width');
        expect(num(bar, 'data-value')).toBe(a);
        if (j === ex.signalPatch) {
          expect(Math.abs(a)).toBeCloseTo(ex.margin, 5);
          expect(Math.sign(a)).toBe(ex.y);
          ratios.push(w / Math.abs(a));
          // positive bars start at zero, negative ones end there
          if (a > 0) expect(num(bar, 'x')).toBeCloseTo(zero, 6);
          else expect(num(bar, 'x') + w).toBeCloseTo(zero, 6);
        } else {
          expect(w).toBeLessThan(0.01);
        }
        const norm = row.querySelector('.data-norm')!;
        expect(num(norm, 'data-value')).toBe(ex.norms[j]);
      });
    });
    // one scale for both examples: the small-margin bar is beta/alpha of the large one
    expect(ratios.length).toBe(2);
    expect(ratios[1]).toBeCloseTo(ratios[0], 6);
    unmount();
  });

  it('titles each example with its margin and label', () => {
    const { container, unmount } = render(<DataPanel data={data} t={0} range={null} />);
    const [large, small] = data.examples;
    const sign = (y: number) => (y > 0 ? '+1' : '−1');
    expect(container.querySelector('[data-testid=data-title-large]')!.textContent).toBe(`large margin (α = ${large.margin}), label y = ${sign(large.y)}`);
    expect(container.querySelector('[data-testid=data-title-small]')!.textContent).toBe(`small margin (β = ${small.margin}), label y = ${sign(small.y)}`);
    expect(large.margin).toBe(FIXTURE_CONFIG.alpha);
    expect(small.margin).toBe(FIXTURE_CONFIG.beta);
    const text = container.querySelector('.data-model')!.textContent!;
    expect(text).toContain('\\langle w_r, X[j]\\rangle^3');
    expect(text).toContain(`N = ${FIXTURE_CONFIG.N}`);
    expect(text).toContain(`P = ${FIXTURE_CONFIG.P}`);
    expect(text).toContain(`d = ${FIXTURE_CONFIG.d}`);
    expect(text).toContain(`\\mu = ${FIXTURE_CONFIG.mu}`);
    unmount();
  });

  it('does not depend on t', () => {
    const { container, rerender, unmount } = render(<DataPanel data={data} t={0} range={null} />);
    const before = container.querySelector('.data-examples')!.innerHTML;
    rerender(<DataPanel data={data} t={FIXTURE_CONFIG.T} range={[50, 100]} highlighted />);
    expect(container.querySelector('.data-examples')!.innerHTML).toBe(before);
    expect(container.querySelector('.panel-data.highlighted')).not.toBeNull();
    unmount();
  });

  it('shows a placeholder before a run has started', () => {
    const { container, unmount } = render(<DataPanel data={{ ...data, examples: [], runs: {} }} t={0} range={null} />);
    expect(container.querySelector('[data-testid=data-placeholder]')).not.toBeNull();
    expect(container.querySelector('.data-example')).toBeNull();
    expect(container.querySelector('.data-model')!.textContent).toContain(`N = ${FIXTURE_CONFIG.N}`);
    unmount();
  });
});
