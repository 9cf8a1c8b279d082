/**
 * Geometry of the dashboard's charts, drawn as inline SVG by views/console/partials/*-chart.ejs:
 * a few rectangles, lines and labels need no chart library, and nothing runs in the browser.
 * The server cannot measure text, so label widths are estimated generously from the characters
 * (wide CJK ideographs, narrower Latin, Cyrillic and Arabic letters) and the drawing grows to fit;
 * in a right-to-left language every x position is mirrored, so bars grow from the right.
 */

export type Direction = 'ltr' | 'rtl';

/** Em widths of a character in a system sans-serif face, rounded up so an estimate errs on the wide side. */
function characterWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (char === ' ') return 0.3;
  if ((code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xff00 && code <= 0xffef)) return 1.05;
  if (code >= 0x0600 && code <= 0x06ff) return 0.62;
  if (/[.,:;'’()|/\u00a0\u202f-]/.test(char)) return 0.35;
  if (/[0-9]/.test(char)) return 0.58;
  if (/\p{Lu}/u.test(char)) return 0.74;
  return 0.6;
}

/** An upper estimate of the width of `text` drawn at `fontSize` pixels. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) ems += characterWidth(char);
  return Math.ceil(ems * fontSize);
}

/** Breaks a label into lines no wider than `maxWidth` where it has spaces; a word longer than that keeps its own line. */
export function wrapLabel(text: string, fontSize: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && estimateTextWidth(candidate, fontSize) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** Font sizes of views' chart classes (public/css/main.css .chart-label, .chart-value, .chart-axis). */
export const LABEL_FONT_SIZE = 13;
export const AXIS_FONT_SIZE = 11;
const LINE_HEIGHT = 16;

export interface Bar {
  label: string;
  /** The label as drawn, one line each. */
  lines: string[];
  /** The value drawn, and the text printed next to it. */
  value: number;
  text: string;
  /** Top of the row; the bar is centred in it. */
  y: number;
  rowHeight: number;
  barY: number;
  /** Where the label's lines are anchored (their end, towards the bar), and the first line's baseline middle. */
  labelX: number;
  labelY: number;
  /** Left edge and length of the bar. */
  x: number;
  width: number;
  /** Where the figure after the bar is anchored. */
  valueX: number;
}

export interface BarChart {
  direction: Direction;
  layout: 'beside' | 'above';
  width: number;
  height: number;
  /** Width of the label column beside the bars (0 when labels are above them). */
  labelWidth: number;
  barHeight: number;
  lineHeight: number;
  /** Left edge and length of the track every bar grows along. */
  trackX: number;
  plotWidth: number;
  /**
   * Labels are in the reader's direction: beside the bars they end towards the bar, above them
   * they start where the bar starts. Figures are drawn left to right, anchored at the bar's end.
   */
  labelAnchor: 'start' | 'end';
  valueAnchor: 'start' | 'end';
  bars: Bar[];
}

/**
 * Horizontal bars of shares (0..1), one per row, with the figure after the bar. The label is
 * beside the start of the bar (left, or right in a right-to-left language), or above it for a
 * narrow screen (`layout: 'above'`), wrapped when longer than `maxLabelWidth`. The label column
 * and the figure column are as wide as their longest text, and the drawing grows to hold them.
 */
export function shareBars(
  rows: Array<{ label: string; share: number; text: string }>,
  options: { direction?: Direction; layout?: 'beside' | 'above'; plotWidth?: number; maxLabelWidth?: number; minLabelWidth?: number } = {},
): BarChart {
  const direction = options.direction ?? 'ltr';
  const layout = options.layout ?? 'beside';
  const above = layout === 'above';
  const plotWidth = options.plotWidth ?? (above ? 240 : 330);
  const barHeight = 22;
  const gap = 10;
  const padding = 8;
  const valueWidth = Math.max(0, ...rows.map((row) => estimateTextWidth(row.text, LABEL_FONT_SIZE))) + 2 * padding;
  const maxLabelWidth = options.maxLabelWidth ?? (above ? plotWidth + valueWidth : 240);
  const wrapped = rows.map((row) => wrapLabel(row.label, LABEL_FONT_SIZE, maxLabelWidth));
  const longestLine = Math.max(0, ...wrapped.flat().map((line) => estimateTextWidth(line, LABEL_FONT_SIZE)));
  const labelWidth = above ? 0 : Math.max(options.minLabelWidth ?? 100, longestLine + 2 * padding);
  const width = above ? Math.max(plotWidth + valueWidth, longestLine + padding) : labelWidth + plotWidth + valueWidth;
  const mirror = (x: number, length = 0) => (direction === 'rtl' ? width - x - length : x);
  let y = gap;
  const bars = rows.map((row, index) => {
    const lines = wrapped[index] ?? [''];
    const labelHeight = lines.length * LINE_HEIGHT;
    const rowHeight = above ? labelHeight + 4 + barHeight : Math.max(barHeight, labelHeight);
    const barY = above ? y + labelHeight + 4 : y + (rowHeight - barHeight) / 2;
    const barWidth = Math.max(0, Math.min(1, row.share)) * plotWidth;
    const bar: Bar = {
      label: row.label,
      lines,
      value: row.share,
      text: row.text,
      y,
      rowHeight,
      barY,
      labelX: above ? mirror(0) : mirror(labelWidth - padding),
      labelY: above ? y + LINE_HEIGHT / 2 : y + rowHeight / 2 - ((lines.length - 1) * LINE_HEIGHT) / 2,
      x: mirror(labelWidth, barWidth),
      width: barWidth,
      valueX: mirror(labelWidth + barWidth + 6),
    };
    y += rowHeight + gap;
    return bar;
  });
  return {
    direction,
    layout,
    width,
    height: y,
    labelWidth,
    barHeight,
    lineHeight: LINE_HEIGHT,
    trackX: mirror(labelWidth, plotWidth),
    plotWidth,
    labelAnchor: above ? 'start' : 'end',
    valueAnchor: direction === 'rtl' ? 'end' : 'start',
    bars,
  };
}

export interface Column {
  label: string;
  /** Short label under the column, shown on as many columns as fit without overlapping (the latest always). */
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
  direction: Direction;
  width: number;
  height: number;
  top: number;
  bottom: number;
  /** Left and right ends of the gridlines. */
  plotLeft: number;
  plotRight: number;
  columnWidth: number;
  maxCount: number;
  columns: Column[];
  /** `x,y x,y ...` of the share-current line. */
  linePoints: string;
  /** Gridlines for counts, labelled at `countAxisX` (left, or right in a right-to-left language). */
  countTicks: Array<{ y: number; text: string }>;
  countAxisX: number;
  countAnchor: 'start' | 'end';
  /** The share axis (0-100%) on the other side. */
  shareAxisX: number;
  shareAnchor: 'start' | 'end';
}

/**
 * Stacked columns (updates, confirmations) per month, oldest first in the reading direction (so
 * from the right in a right-to-left language), with a line for the share of States current
 * (0-100%, on the axis opposite the counts). Month labels are spaced so they never overlap.
 */
export function seriesChart(
  months: Array<{ label: string; updates: number; confirmations: number; currentShare: number; title: string }>,
  options: { width?: number; height?: number; direction?: Direction } = {},
): SeriesChart {
  const direction = options.direction ?? 'ltr';
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
  const widestLabel = Math.max(0, ...months.map((month) => estimateTextWidth(month.label, AXIS_FONT_SIZE)));
  const tickEvery = slot > 0 ? Math.max(1, Math.ceil((widestLabel + 12) / slot)) : 1;
  const scale = (count: number) => (count / maxCount) * plot;
  const columns = months.map((month, index) => {
    const ltrX = left + index * slot + (slot - columnWidth) / 2;
    const updatesHeight = scale(month.updates);
    const confirmationsHeight = scale(month.confirmations);
    return {
      label: month.label,
      tick: (months.length - 1 - index) % tickEvery === 0 ? month.label : undefined,
      x: direction === 'rtl' ? width - ltrX - columnWidth : ltrX,
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
  const rtl = direction === 'rtl';
  return {
    direction,
    width,
    height,
    top,
    bottom,
    plotLeft: rtl ? width - right : left,
    plotRight: rtl ? width - left : right,
    columnWidth,
    maxCount,
    columns,
    linePoints: columns.map((column) => `${(column.x + columnWidth / 2).toFixed(1)},${column.lineY.toFixed(1)}`).join(' '),
    countTicks,
    countAxisX: rtl ? width - left + 6 : left - 6,
    countAnchor: rtl ? 'start' : 'end',
    shareAxisX: rtl ? width - right - 4 : right + 4,
    shareAnchor: rtl ? 'end' : 'start',
  };
}
