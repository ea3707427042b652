import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { SCENE_IDS, isSceneId, milestones, sceneWindow } from '../src/sim/story';
import type { TraceRow } from '../src/sim/trace';
import { traceRow } from './support/traces';

/** Rows with only the fields the milestones read; the rest are zero. */
function rows(spec: { t: number; trainErrLarge: number; trainErr: number }[]): TraceRow[] {
  return spec.map((s) => traceRow(s.t, s));
}

const gd = rows([
  { t: 0, trainErrLarge: 0.5, trainErr: 0.5 },
  { t: 10, trainErrLarge: 0.1, trainErr: 0.3 },
  { t: 20, trainErrLarge: 0, trainErr: 0.2 },
  { t: 600, trainErrLarge: 0, trainErr: 0 },
]);
const gdm = rows([
  { t: 0, trainErrLarge: 0.5, trainErr: 0.5 },
  { t: 10, trainErrLarge: 0.2, trainErr: 0.3 },
  { t: 20, trainErrLarge: 0.05, trainErr: 0.2 },
  { t: 30, trainErrLarge: 0, trainErr: 0.1 },
]);

describe('story', () => {
  it('milestones: both runs fit the large margin at the later of the two; GD fits everything at its first zero train error', () => {
    expect(milestones(gd, gdm)).toEqual({ largeFitted: 30, gdFitted: 600 });
    expect(milestones(gd, gdm.slice(0, 3))).toEqual({ largeFitted: null, gdFitted: 600 });
    expect(milestones([], [])).toEqual({ largeFitted: null, gdFitted: null });
  });

  it('every scene window lies in 0..T and plays forward', () => {
    for (const marks of [milestones(gd, gdm), milestones([], [])]) {
      for (const id of SCENE_IDS) {
        const w = sceneWindow(id, DEFAULT_CONFIG, marks);
        expect(w.range[0]).toBeGreaterThanOrEqual(0);
        expect(w.range[1]).toBeLessThanOrEqual(DEFAULT_CONFIG.T);
        expect(w.range[1]).toBeGreaterThan(w.range[0]);
        expect(w.from).toBeLessThanOrEqual(w.to);
        expect(w.to).toBeLessThanOrEqual(DEFAULT_CONFIG.T);
      }
    }
  });

  it('windows follow the milestones: GD memorizes from the large-margin fit to its own full fit', () => {
    const marks = milestones(gd, gdm);
    expect(sceneWindow('memorize', DEFAULT_CONFIG, marks)).toMatchObject({ from: 30, to: 600 });
    // phase 1 covers the large-margin fit with room to spare, but not the whole run
    const learn = sceneWindow('learn', DEFAULT_CONFIG, marks);
    expect(learn.range[1]).toBeGreaterThanOrEqual(3 * 30);
    // the buffer's story happens right after the fit: a window of a few times the fit, starting before it
    const dies = sceneWindow('dies', DEFAULT_CONFIG, marks);
    expect(dies.range[1]).toBeGreaterThanOrEqual(6 * 30);
    expect(dies.from).toBeLessThan(30);
    expect(learn.range[1]).toBeLessThan(DEFAULT_CONFIG.T);
    expect(sceneWindow('test', DEFAULT_CONFIG, marks)).toEqual({ range: [0, 1500], from: 0, to: 1500 });
  });

  it('scene ids are checked, not trusted', () => {
    expect(isSceneId('carry')).toBe(true);
    for (const x of ['', 'Carry', '2', '__proto__', 'toString']) expect(isSceneId(x)).toBe(false);
  });
});
