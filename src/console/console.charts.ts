/**
 * Geometry of the dashboard's charts, drawn as inline SVG by views/console/partials/*-chart.ejs:
 * a few rectangles, lines and labels need no chart library, and nothing runs in the browser.
 */

export interface Bar {
  label: string;
  /** The value drawn, and the text printed next to it. */
  value: number;
  text: string;
  y: number;
  width: number;
}

export interface BarChart {
  width: number;
  height: number;
  labelWidth: number;
  barHeight: number;
  bars: Bar[];
}

/** Horizontal bars of shares (0..1), one per row, with the label on the left and the figure after the bar. */
export function shareBars(rows: Array<{ label: string; share: number; text: string }>, options: { width?: number; labelWidth?: number } = {}): BarChart {
  const width = options.width ?? 720;
  const labelWidth = options.labelWidth ?? 300;
  const barHeight = 22;
  const gap = 10;
  const plot = width - labelWidth - 90;
  return {
    width,
    height: rows.length * (barHeight + gap) + gap,
    labelWidth,
    barHeight,
    bars: rows.map((row, index) => ({
      label: row.label,
      value: row.share,
      text: row.text,
      y: gap + index * (barHeight + gap),
      width: Math.max(0, Math.min(1, row.share)) * plot,
    })),
  };
}

export interface Column {
  label: string;
  /** Short label under the column (shown every few columns). */
  tick?: string;
  x: number;
  updatesY: number;
  updatesHeight: number;
  confirmationsY: number;
  confirmationsHeight: number;
  /** Where the share line passes over this column. */
  lineY: number;
  title: string;
}

export interface SeriesChart {
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  columnWidth: number;
  maxCount: number;
  columns: Column[];
  /** `x,y x,y ...` of the share-current line. */
  linePoints: string;
  /** Gridlines for counts (left axis). */
  countTicks: Array<{ y: number; text: string }>;
}

/** Stacked columns (updates, confirmations) per month with a line for the share of States current (right axis, 0-100%). */
export function seriesChart(
  months: Array<{ label: string; tick?: string; updates: number; confirmations: number; currentShare: number; title: string }>,
  options: { width?: number; height?: number } = {},
): SeriesChart {
  const width = options.width ?? 720;
  const height = options.height ?? 260;
  const top = 16;
  const bottom = height - 40;
  const left = 44;
  const right = width - 48;
  const plot = bottom - top;
  const rawMax = Math.max(1, ...months.map((month) => month.updates + month.confirmations));
  const step = rawMax <= 5 ? 1 : Math.ceil(rawMax / 5);
  const maxCount = step * Math.ceil(rawMax / step);
  const slot = months.length ? (right - left) / months.length : 0;
  const columnWidth = Math.max(2, slot * 0.7);
  const scale = (count: number) => (count / maxCount) * plot;
  const columns = months.map((month, index) => {
    const x = left + index * slot + (slot - columnWidth) / 2;
    const updatesHeight = scale(month.updates);
    const confirmationsHeight = scale(month.confirmations);
    return {
      label: month.label,
      tick: month.tick,
      x,
      updatesY: bottom - updatesHeight,
      updatesHeight,
      confirmationsY: bottom - updatesHeight - confirmationsHeight,
      confirmationsHeight,
      lineY: bottom - Math.max(0, Math.min(1, month.currentShare)) * plot,
      title: month.title,
    };
  });
  const countTicks: SeriesChart['countTicks'] = [];
  for (let value = 0; value <= maxCount; value += step) countTicks.push({ y: bottom - scale(value), text: String(value) });
  return {
    width,
    height,
    top,
    bottom,
    left,
    columnWidth,
    maxCount,
    columns,
    linePoints: columns.map((column) => `${(column.x + columnWidth / 2).toFixed(1)},${column.lineY.toFixed(1)}`).join(' '),
    countTicks,
  };
}
