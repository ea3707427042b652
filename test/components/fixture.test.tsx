// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { FIXTURE_CONFIG, fixturePanelData } from '../support/panel-fixture';

describe('panel fixture', () => {
  it('is a real pair of runs with both margins', async () => {
    const data = await fixturePanelData();
    expect(data.runs.gd!.rows.at(-1)!.t).toBe(FIXTURE_CONFIG.T);
    expect(data.small.includes(1) && data.small.includes(0)).toBe(true);
    expect(data.examples.map((e) => e.small)).toEqual([false, true]);
    expect(data.runs.gdm!.detail.signal.length).toBe(data.runs.gdm!.rows.length * FIXTURE_CONFIG.N);
  });
});
