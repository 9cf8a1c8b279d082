import { estimateTextWidth, LABEL_FONT_SIZE, seriesChart, shareBars } from '../../src/console/console.charts';
import { expectedDesignations, figuresByRegion, monthlySeries, stateCoverage } from '../../src/console/console.figures';
import type { DesignationType, State } from '../../src/directory/directory.types';

const titles = { ar: 't', zh: 't', en: 't', fr: 't', ru: 't', es: 't' };
const type = (code: string, instrument: DesignationType['instrument'], core: boolean, order: number): DesignationType => ({ code, instrument, article: 'art.', role: 'mla', titles, order, core });
const CATALOGUE: DesignationType[] = [
  type('UNTOC-18-13', 'UNTOC', true, 1),
  type('UNTOC-16', 'UNTOC', true, 2),
  type('UNTOC-17', 'UNTOC', true, 3),
  type('SOM-8-6', 'SOM', true, 4),
  type('UNCAC-46-13', 'UNCAC', false, 5),
  type('FIREARMS-13-2', 'FIREARMS', false, 6),
];

function state(code: string, region: State['region'], extra: Partial<State> = {}): State {
  return { code, kind: 'member', names: { ...titles, en: code }, region, aliases: [], parties: [], access: 'public', optional: { requirements: {}, laws: [], treaties: [] }, sample: false, version: 0, ...extra };
}

const NOW = new Date('2026-06-15T12:00:00Z');

describe('expected designations', () => {
  it('when no party status is recorded, then the core set is expected', () => {
    expect(expectedDesignations(state('AAA', 'WEOG'), CATALOGUE)).toEqual({ recorded: false, partyTo: [], codes: ['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17', 'SOM-8-6'] });
  });

  it('when a State is a party to UNCAC and the Firearms Protocol and only a signatory of UNTOC, then only those instruments\' designations are expected', () => {
    const parties: State['parties'] = [
      { instrument: 'UNCAC', status: 'party' },
      { instrument: 'FIREARMS', status: 'party' },
      { instrument: 'UNTOC', status: 'signatory' },
    ];
    expect(expectedDesignations(state('AAA', 'WEOG', { parties }), CATALOGUE).codes).toEqual(['UNCAC-46-13', 'FIREARMS-13-2']);
  });

  it('when the catalogue gains a designation of an instrument a State is party to, then it is expected too', () => {
    const catalogue = [...CATALOGUE, type('UNCAC-46-14', 'UNCAC', false, 7)];
    expect(expectedDesignations(state('AAA', 'WEOG', { parties: [{ instrument: 'UNCAC', status: 'party' }] }), catalogue).codes).toEqual(['UNCAC-46-13', 'UNCAC-46-14']);
  });
});

describe('coverage and figures by regional group', () => {
  const states = [
    // party to UNTOC, 18(13) held, updated 2 months ago: current
    state('AAA', 'AFRICAN', { parties: [{ instrument: 'UNTOC', status: 'party' }], lastUpdatedAt: new Date('2026-04-10T00:00:00Z') }),
    // party to UNTOC, nothing held, confirmed 13 months ago: stale
    state('BBB', 'AFRICAN', { parties: [{ instrument: 'UNTOC', status: 'party' }], lastConfirmedAt: new Date('2025-05-01T00:00:00Z') }),
    // not recorded, 18(13) held, never submitted
    state('CCC', 'WEOG'),
    // updated long ago but confirmed recently: current
    state('DDD', 'WEOG', { lastUpdatedAt: new Date('2020-01-01T00:00:00Z'), lastConfirmedAt: new Date('2026-06-01T00:00:00Z') }),
  ];
  const holdings = [
    { state: 'AAA', designations: ['UNTOC-18-13', 'UNTOC-16'] },
    { state: 'AAA', designations: ['UNTOC-17'] },
    { state: 'CCC', designations: ['UNTOC-18-13'] },
  ];
  const coverage = stateCoverage(states, holdings, CATALOGUE, NOW);

  it('when coverage is computed, then each State has what it holds, what it misses and how current it is', () => {
    const byCode = Object.fromEntries(coverage.map((row) => [row.code, row]));
    expect(byCode.AAA).toMatchObject({ held: ['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17'], missing: [], currency: 'current', monthsSince: 2, untocParty: true, holdsMla: true });
    expect(byCode.BBB).toMatchObject({ missing: ['UNTOC-18-13', 'UNTOC-16', 'UNTOC-17'], currency: 'stale', monthsSince: 13, holdsMla: false });
    expect(byCode.CCC).toMatchObject({ partyStatusRecorded: false, missing: ['UNTOC-16', 'UNTOC-17', 'SOM-8-6'], currency: 'never', monthsSince: undefined, holdsMla: true, untocParty: false });
    expect(byCode.DDD).toMatchObject({ currency: 'current', lastActivityAt: new Date('2026-06-01T00:00:00Z') });
  });

  it('when figures are tallied, then each regional group and the total count parties with an art. 18(13) authority, current, stale and never-submitted entries', () => {
    const rows = figuresByRegion(coverage, ['AFRICAN', 'ASIA_PACIFIC', 'WEOG']);
    expect(rows.map((row) => row.region)).toEqual(['AFRICAN', 'WEOG', 'TOTAL']);
    expect(rows[0]).toEqual({ region: 'AFRICAN', states: 2, untocParties: 2, untocPartiesWithMla: 1, withMla: 1, current: 1, stale: 1, never: 0, withGaps: 1 });
    expect(rows[1]).toEqual({ region: 'WEOG', states: 2, untocParties: 0, untocPartiesWithMla: 0, withMla: 1, current: 1, stale: 0, never: 1, withGaps: 2 });
    expect(rows[2]).toEqual({ region: 'TOTAL', states: 4, untocParties: 2, untocPartiesWithMla: 1, withMla: 2, current: 2, stale: 1, never: 1, withGaps: 3 });
  });
});

describe('the monthly series', () => {
  it('when revisions fall in several months, then each month counts its updates and confirmations, and the share current follows the 12-month window', () => {
    const states = [state('AAA', 'WEOG'), state('BBB', 'WEOG', { lastUpdatedAt: new Date('2025-01-20T00:00:00Z') })];
    const activity = [
      { state: 'AAA', entry: 'a1', at: new Date('2026-05-03T00:00:00Z'), kind: 'update' as const },
      { state: 'AAA', entry: 'a2', at: new Date('2026-05-20T00:00:00Z'), kind: 'update' as const },
      { state: 'AAA', entry: 'AAA', at: new Date('2026-06-02T00:00:00Z'), kind: 'confirm' as const },
    ];
    const series = monthlySeries(states, activity, NOW, 24);
    expect(series).toHaveLength(24);
    expect(series[0]?.month).toBe('2024-07');
    expect(series.at(-1)?.month).toBe('2026-06');
    const month = (key: string) => series.find((entry) => entry.month === key);
    expect(month('2026-05')).toMatchObject({ updates: 2, confirmations: 0, current: 1, currentShare: 0.5 });
    expect(month('2026-06')).toMatchObject({ updates: 0, confirmations: 1, current: 1 });
    // BBB's stamp of January 2025 keeps it current from January 2025 to the end of December 2025
    expect(month('2024-12')).toMatchObject({ current: 0 });
    expect(month('2025-01')).toMatchObject({ current: 1, updates: 0 });
    expect(month('2025-12')).toMatchObject({ current: 1 });
    expect(month('2026-01')).toMatchObject({ current: 0, currentShare: 0 });
  });
});

describe('chart geometry', () => {
  it('when shares are drawn as bars, then lengths are proportional and clamped to the plot', () => {
    const chart = shareBars([{ label: 'A', share: 0.5, text: '1 / 2' }, { label: 'B', share: 1.5, text: 'x' }], { plotWidth: 210 });
    expect(chart.bars[0]?.width).toBeCloseTo(105);
    expect(chart.bars[1]?.width).toBeCloseTo(210);
  });

  it('when months are drawn as columns, then stacked heights add up and the count axis covers the tallest month', () => {
    const chart = seriesChart([
      { label: 'a', updates: 3, confirmations: 1, currentShare: 0.5, title: 'a' },
      { label: 'b', updates: 0, confirmations: 0, currentShare: 1, title: 'b' },
    ]);
    const [first, second] = chart.columns;
    expect(chart.maxCount).toBe(4);
    expect(first!.updatesHeight + first!.confirmationsHeight).toBeCloseTo(chart.bottom - chart.top);
    expect(second!.lineY).toBeCloseTo(chart.top);
    expect(chart.linePoints.split(' ')).toHaveLength(2);
  });

  it('when the bars are laid out right to left, then every position is the left-to-right one mirrored and the figures are anchored at the bar\'s end', () => {
    const rows = [{ label: 'مجموعة الدول الأفريقية', share: 0.25, text: '14 / 54' }, { label: 'المجموع', share: 1, text: '198 / 198' }];
    const ltr = shareBars(rows);
    const rtl = shareBars(rows, { direction: 'rtl' });
    expect(rtl.width).toBe(ltr.width);
    expect(rtl.direction).toBe('rtl');
    expect(rtl.trackX).toBeCloseTo(ltr.width - ltr.trackX - ltr.plotWidth);
    for (const [index, bar] of rtl.bars.entries()) {
      const mirror = ltr.bars[index]!;
      expect(bar.labelX).toBeCloseTo(ltr.width - mirror.labelX);
      expect(bar.x).toBeCloseTo(ltr.width - mirror.x - mirror.width);
      expect(bar.valueX).toBeCloseTo(ltr.width - mirror.valueX);
    }
    // the bars start at the label column's edge: on the right in Arabic
    expect(rtl.bars[1]!.x + rtl.bars[1]!.width).toBeCloseTo(rtl.width - rtl.labelWidth);
    expect([ltr.valueAnchor, rtl.valueAnchor]).toEqual(['start', 'end']);
  });

  it('when a label is long, then it is wrapped or its column widened so the drawing covers it, and no figure overlaps it', () => {
    const long = 'Государства Латинской Америки и Карибского бассейна';
    const chart = shareBars([{ label: long, share: 1, text: '33 / 33 (100 %)' }, { label: 'Всего', share: 0.5, text: '99 / 198 (50 %)' }]);
    const [bar] = chart.bars;
    expect(bar!.lines.length).toBeGreaterThan(1);
    expect(bar!.lines.join(' ')).toBe(long);
    for (const line of bar!.lines) expect(estimateTextWidth(line, LABEL_FONT_SIZE)).toBeLessThanOrEqual(chart.labelWidth - 8);
    expect(bar!.rowHeight).toBeGreaterThanOrEqual(bar!.lines.length * chart.lineHeight);
    // the figure after a full bar still ends inside the drawing
    expect(bar!.valueX + estimateTextWidth(bar!.text, LABEL_FONT_SIZE)).toBeLessThanOrEqual(chart.width);
    const unbreakable = shareBars([{ label: 'Internationalisierungsbeauftragtenstelle', share: 0, text: '0' }], { maxLabelWidth: 100 });
    expect(unbreakable.labelWidth).toBeGreaterThanOrEqual(estimateTextWidth('Internationalisierungsbeauftragtenstelle', LABEL_FONT_SIZE));
    expect(unbreakable.width).toBeGreaterThan(unbreakable.labelWidth + unbreakable.plotWidth);
  });

  it('when the labels go above the bars (a narrow screen), then each label sits over its bar, starts where the bar starts and fits the drawing', () => {
    const label = 'Groupe des États d’Amérique latine et des Caraïbes';
    const ltr = shareBars([{ label, share: 0.5, text: '3 / 33 (9 %)' }], { layout: 'above' });
    const rtl = shareBars([{ label: 'مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي', share: 0.5, text: '3 / 33' }], { layout: 'above', direction: 'rtl' });
    const [bar] = ltr.bars;
    expect(bar!.labelY).toBeLessThan(bar!.barY);
    expect([bar!.labelX, bar!.x, ltr.labelAnchor]).toEqual([0, 0, 'start']);
    for (const line of bar!.lines) expect(estimateTextWidth(line, LABEL_FONT_SIZE)).toBeLessThanOrEqual(ltr.width);
    expect(rtl.bars[0]!.labelX).toBe(rtl.width);
    expect(rtl.bars[0]!.x + rtl.bars[0]!.width).toBeCloseTo(rtl.width);
  });

  it('when ideographs are measured, then they count wider than Latin letters', () => {
    expect(estimateTextWidth('拉丁美洲和加勒比国家', 13)).toBeGreaterThan(estimateTextWidth('abcdefghij', 13));
  });

  it('when months are drawn right to left, then the oldest is on the right, the axes swap sides and month labels never overlap', () => {
    const months = Array.from({ length: 24 }, (_, index) => ({ label: `ноябрь 20${10 + index}`, updates: index % 3, confirmations: 1, currentShare: 0.5, title: 't' }));
    const ltr = seriesChart(months);
    const rtl = seriesChart(months, { direction: 'rtl' });
    expect(rtl.columns[0]!.x).toBeGreaterThan(rtl.columns.at(-1)!.x);
    expect(rtl.columns[0]!.x).toBeCloseTo(ltr.width - ltr.columns[0]!.x - ltr.columnWidth);
    expect(rtl.countAxisX).toBeGreaterThan(rtl.shareAxisX);
    expect([ltr.countAnchor, rtl.countAnchor]).toEqual(['end', 'start']);
    const ticked = rtl.columns.filter((column) => column.tick);
    expect(ticked.at(-1)).toBe(rtl.columns.at(-1));
    for (let index = 1; index < ticked.length; index += 1) expect(Math.abs(ticked[index - 1]!.x - ticked[index]!.x)).toBeGreaterThan(estimateTextWidth(months[0]!.label, 11));
  });
});

describe('the monthly series counts revisions', () => {
  it('when one entry is saved several times in a month and a State confirms twice, then each entry and each State counts once', () => {
    const states = [state('AAA', 'WEOG')];
    const activity = [
      { state: 'AAA', entry: 'a1', at: new Date('2026-03-03T00:00:00Z'), kind: 'update' as const },
      { state: 'AAA', entry: 'a1', at: new Date('2026-03-04T00:00:00Z'), kind: 'update' as const },
      { state: 'AAA', entry: 'a2', at: new Date('2026-03-30T00:00:00Z'), kind: 'update' as const },
      { state: 'AAA', entry: 'AAA', at: new Date('2026-04-01T00:00:00Z'), kind: 'confirm' as const },
      { state: 'AAA', entry: 'AAA', at: new Date('2026-04-09T00:00:00Z'), kind: 'confirm' as const },
    ];
    const series = monthlySeries(states, activity, NOW, 12);
    const month = (key: string) => series.find((entry) => entry.month === key);
    expect(month('2026-03')).toMatchObject({ updates: 2, confirmations: 0, current: 1 });
    expect(month('2026-04')).toMatchObject({ updates: 0, confirmations: 1, current: 1 });
    expect(month('2026-02')).toMatchObject({ updates: 0, confirmations: 0, current: 0 });
  });
});
