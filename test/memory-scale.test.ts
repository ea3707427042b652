import { describe, expect, it } from 'vitest';
import { LOG_DECADES, atFloor, logAxis, powerOfTen, sci } from '../src/panels/memory-scale';

describe('memory panel log axis', () => {
  it('tops at the next power of ten and floors LOG_DECADES below, ignoring zeros, negatives and non-numbers', () => {
    const a = logAxis([0.176, 1e-40, 0, Number.NaN, -1, Number.POSITIVE_INFINITY, 3e-6]);
    expect(a.top).toBe(1);
    expect(a.floor).toBeCloseTo(10 ** -LOG_DECADES, 20);
    expect(a.domain[0]).toBeLessThan(a.floor);
    expect(a.domain[1]).toBe(1);
  });

  it('an exact power of ten is its own top; smaller data gives a lower axis', () => {
    expect(logAxis([1]).top).toBe(1);
    expect(logAxis([0.05, 0.002]).top).toBeCloseTo(0.1, 12);
    expect(logAxis([0.05], 3).floor).toBeCloseTo(1e-4, 15);
  });

  it('no positive value (no rows yet, or all zeros): a default axis rather than NaN', () => {
    for (const values of [[], [0, 0], [Number.NaN]]) {
      const a = logAxis(values);
      expect(a.top).toBe(1);
      expect(Number.isFinite(a.domain[0])).toBe(true);
    }
  });

  it('draws values at or below the floor, and exact zeros, at the floor; non-numbers as gaps', () => {
    expect(atFloor(1e-30, 1e-7)).toBe(1e-7);
    expect(atFloor(0, 1e-7)).toBe(1e-7);
    expect(atFloor(-1e-9, 1e-7)).toBe(1e-7);
    expect(atFloor(0.25, 1e-7)).toBe(0.25);
    expect(atFloor(Number.NaN, 1e-7)).toBeNull();
    expect(atFloor(Number.POSITIVE_INFINITY, 1e-7)).toBeNull();
  });

  it('labels powers of ten only', () => {
    expect(powerOfTen(1e-4)).toBe('10⁻⁴');
    expect(powerOfTen(1e-12)).toBe('10⁻¹²');
    expect(powerOfTen(1)).toBe('1');
    expect(powerOfTen(100)).toBe('10²');
    expect(powerOfTen(2e-4)).toBe('');
    expect(powerOfTen(0)).toBe('');
  });

  it('prints readout values in exponent form, an exact zero as 0', () => {
    expect(sci(0.005527)).toBe('5.53e-3');
    expect(sci(0)).toBe('0');
    expect(sci(undefined)).toBe('–');
    expect(sci(Number.NaN)).toBe('diverged');
  });
});
