import { describe, expect, it } from 'vitest';
import { sparkPath } from './kpiChart';

describe('sparkPath', () => {
  it('runs left to right and bottom to top between the bounds', () => {
    expect(sparkPath([0, 0.5, 1], 100, 50, 0, 1)).toBe('M0.0,50.0L50.0,25.0L100.0,0.0');
  });
  it('breaks the line at a week without a figure', () => {
    expect(sparkPath([1, null, 1], 10, 10, 0, 1)).toBe('M0.0,0.0M10.0,0.0');
  });
  it('scales to the largest point without a fixed top', () => {
    expect(sparkPath([2, 4], 10, 10, 0, null)).toBe('M0.0,5.0L10.0,0.0');
  });
});
