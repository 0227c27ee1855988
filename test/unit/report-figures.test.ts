// The arithmetic under the reports, by hand: the time bands, medians and 90th percentiles by the
// nearest rank (read as their band's upper edge), the chart's axis, and CSV that a spreadsheet
// reads as text.
import assert from 'node:assert/strict';
import { BAND_EDGES, bandOf, percentile } from '../../src/domain/report-figures';
import { niceCeiling, barChart } from '../../src/web/bar-chart';
import { csvOf } from '../../src/web/csv';

/** Band counts with `count` requests at each of these times. */
function counted(times: Record<number, number>): number[] {
  const bands: number[] = [];
  for (const [minutes, count] of Object.entries(times)) {
    const band = bandOf(Number(minutes));
    for (let i = bands.length; i <= band; i++) bands[i] ??= 0;
    bands[band]! += count;
  }
  return bands;
}

describe('report figures', () => {
  it('puts a time in the first band whose edge it does not pass; past a year, in the last', () => {
    assert.deepEqual(
      [0, 1, 2, 7, 8, 9, 59, 60, 61, 119, 120, 121, 1440, 1441, 600_000].map((m) => BAND_EDGES[bandOf(m)]),
      [1, 1, 2, 8, 8, 10, 60, 60, 75, 120, 120, 150, 1440, 1800, 525_600],
    );
    assert.deepEqual(
      [...BAND_EDGES].sort((a, b) => a - b),
      [...BAND_EDGES],
      'edges in order',
    );
  });

  it('reads the median and the 90th percentile by the nearest rank, as the band’s upper edge', () => {
    assert.equal(percentile([], 0.5), null);
    assert.equal(percentile(counted({ 7: 1 }), 0.9), 8, 'seven minutes: at most eight');
    // 10, 30, 60, 90: the 2nd and the 4th.
    const four = counted({ 10: 1, 30: 1, 60: 1, 90: 1 });
    assert.deepEqual([percentile(four, 0.5), percentile(four, 0.9)], [30, 90]);
    // Ten requests, nine at 5 minutes and one at 600: the 90th percentile is the 9th, still 5.
    const ten = counted({ 600: 1, 5: 9 });
    assert.deepEqual([percentile(ten, 0.5), percentile(ten, 0.9)], [5, 5]);
    assert.equal(percentile(counted({ 600: 2, 5: 9 }), 0.9), 600, 'eleven: the 10th is the first slow one');
  });

  it("draws a chart's axis to a round top, and bars only where there is something", () => {
    assert.deepEqual([0, 1, 3, 7, 12, 48, 51, 999].map(niceCeiling), [1, 1, 5, 10, 20, 50, 100, 1000]);
    const chart = barChart(
      Array.from({ length: 31 }, (_, i) => ({ label: `d${i}`, value: i % 2 === 0 ? i : null, title: `d${i}` })),
      String,
    );
    assert.equal(chart.bars.length, 15, 'days 2, 4, ... 30 (day 0 is zero)');
    assert.ok(chart.xLabels.length <= 10);
    assert.deepEqual(
      chart.yTicks.map((t) => t.label),
      ['0', '10', '20', '30', '40', '50'],
    );
    const tallest = chart.bars.reduce((a, b) => (b.height > a.height ? b : a));
    assert.equal(tallest.title, 'd30');
  });

  it('writes CSV that a spreadsheet reads as text: quoted, with formulas made harmless', () => {
    assert.equal(
      csvOf([
        ['Имя', 'n'],
        ['Пётр, "старший"', 3],
        ['=HYPERLINK("x")', null],
        ['-1', 0.5],
      ]),
      '\uFEFFИмя,n\r\n"Пётр, ""старший""",3\r\n"\'=HYPERLINK(""x"")",\r\n\'-1,0.5\r\n',
    );
  });
});
