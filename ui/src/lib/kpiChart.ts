import type { WeekFigure } from './bindings';

/** One value per week; `null` where the week has nothing to show (a gap in the line). */
export function weekPoints(weeks: readonly WeekFigure[], f: (w: WeekFigure) => number | null): (number | null)[] {
  return weeks.map(f);
}

/**
 * An SVG path through the points, left to right across `width`, scaled between `min` and
 * `max` (`null`: the largest point) bottom to top across `height`. Gaps break the line.
 */
export function sparkPath(points: readonly (number | null)[], width: number, height: number, min: number, max: number | null): string {
  const top = max ?? Math.max(min, ...points.filter((p): p is number => p !== null));
  const span = top - min || 1;
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p === null) {
      pen = false;
      return;
    }
    const x = i * step;
    const y = height - ((Math.min(Math.max(p, min), top) - min) / span) * height;
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}
