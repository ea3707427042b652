import { describe, expect, it } from 'vitest';
import { QUESTIONS, answers } from '../src/view/skeptic';
import { handTrace, traceRow } from './support/traces';

const run = (testErr: number, c50 = 1) => handTrace([traceRow(50, { cMax: c50, testErr: 0.5 }), traceRow(100, { testErr })]);

describe("the skeptic's answers", () => {
  it('each what-if is said to behave like the run whose final test error it is nearer', () => {
    const lineup = [{ id: 'gd' as const }, { id: 'gdm' as const }, { id: 'gdm-until' as const, arg: 30 }, { id: 'gdm-until' as const, arg: 30 }, { id: 'gd-eta' as const, arg: 10 }];
    const got = answers(lineup, { gd: run(0.15), gdm: run(0), 'gdm-until': run(0.14), 'gd-eta': run(0.01, 12.5) });
    expect(got['gdm-until']).toMatchObject({ testErr: 0.14, likeGdm: false, title: 'GD+M until K = 30' });
    expect(got['gd-eta']).toMatchObject({ testErr: 0.01, likeGdm: true, c50: 12.5 });
    // nothing for runs without rows, nor before GD and GD+M have numbers
    expect(answers([{ id: 'gd' }, { id: 'gdm' }, { id: 'sgd', arg: 50 }], { gd: run(0.15), gdm: run(0) }).sgd).toBeUndefined();
    expect(answers(lineup, { 'gdm-until': run(0.1) })).toEqual({});
  });

  it('every question names what-if runs of the registry', () => {
    expect(QUESTIONS.flatMap((q) => q.runs)).toEqual(['gdm-until', 'gdm-from', 'gd-eta', 'sgd', 'sgdm']);
  });
});
