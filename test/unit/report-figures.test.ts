// The arithmetic under the reports, by hand: the precision times are kept at, medians and 90th
// percentiles by the nearest rank, the chart's axis, and CSV that a spreadsheet reads as text.
import assert from 'node:assert/strict';
import { keptMinutes, percentile } from '../../src/domain/report-figures';
import { niceCeiling, barChart } from '../../src/web/bar-chart';
import { csvOf } from '../../src/web/csv';

describe('report figures', () => {
  it('keeps minutes under an hour, 5 minutes under 4 hours, 15 under a day, hours under a week, days beyond', () => {
    assert.deepEqual(
      [0, 1, 59, 62, 63, 239, 247, 1430, 1500, 10_079, 10_700, 11_000].map(keptMinutes),
      [0, 1, 59, 60, 65, 240, 240, 1425, 1500, 10_080, 10_080, 11_520],
    );
  });

  it('reads the median and the 90th percentile by the nearest rank', () => {
    assert.equal(percentile({}, 0.5), null);
    assert.equal(percentile({ '7': 1 }, 0.9), 7);
    // 10, 30, 60, 90: the 2nd and the 4th.
    const four = { '10': 1, '30': 1, '60': 1, '90': 1 };
    assert.deepEqual([percentile(four, 0.5), percentile(four, 0.9)], [30, 90]);
    // Ten requests, nine at 5 minutes and one at 600: the 90th percentile is the 9th, still 5.
    const ten = { '600': 1, '5': 9 };
    assert.deepEqual([percentile(ten, 0.5), percentile(ten, 0.9)], [5, 5]);
    assert.equal(percentile({ '600': 2, '5': 9 }, 0.9), 600, 'eleven: the 10th is the first slow one');
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
