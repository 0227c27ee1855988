// The geometry of a bar chart drawn as SVG on the server (views/partials/bar-chart.ejs): no
// script, no library, nothing from a CDN. The chart is a picture of the table printed under it,
// which is what screen readers and spreadsheets read.

export interface BarPoint {
  /** Under the bar (only some are printed when there are many). */
  label: string;
  value: number | null;
  /** The bar's own tooltip and accessible text: "12 Nov: 14". */
  title: string;
}

export interface BarChart {
  width: number;
  height: number;
  /** The plotting area's left and bottom edges. */
  left: number;
  bottom: number;
  bars: Array<{ x: number; y: number; width: number; height: number; title: string }>;
  yTicks: Array<{ y: number; label: string }>;
  xLabels: Array<{ x: number; label: string }>;
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 64;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 28;
/** At most this many labels under the bars, however many bars there are. */
const MAX_X_LABELS = 10;
/** Five steps from a top of at least 5: whole numbers on the axis. */
const GRID_LINES = 5;

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value`: a top for the axis that reads well. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

/** A bar chart of the points, the axis labelled with `format` (a count, a time). */
export function barChart(points: BarPoint[], format: (value: number) => string): BarChart {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const bottom = HEIGHT - BOTTOM;
  const top = niceCeiling(Math.max(GRID_LINES, ...points.map((p) => p.value ?? 0)));
  const slot = plotWidth / Math.max(1, points.length);
  const barWidth = Math.max(1, slot * 0.7);
  const every = Math.ceil(points.length / MAX_X_LABELS);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    width: WIDTH,
    height: HEIGHT,
    left: LEFT,
    bottom,
    bars: points.flatMap((p, i) => {
      if (!p.value) return [];
      const height = (p.value / top) * plotHeight;
      return [
        {
          x: round(LEFT + i * slot + (slot - barWidth) / 2),
          y: round(bottom - height),
          width: round(barWidth),
          height: round(height),
          title: p.title,
        },
      ];
    }),
    yTicks: Array.from({ length: GRID_LINES + 1 }, (_, i) => ({
      y: round(bottom - (i / GRID_LINES) * plotHeight),
      label: format((top * i) / GRID_LINES),
    })),
    xLabels: points.flatMap((p, i) => (i % every === 0 ? [{ x: round(LEFT + i * slot + slot / 2), label: p.label }] : [])),
  };
}
