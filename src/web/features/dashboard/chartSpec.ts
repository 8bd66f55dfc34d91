import { dashboardTexts as t } from './texts.ts';

/** What a chart draws, independent of the chart library (which is loaded on demand). */
export type ChartSpec =
  /** `bars`: horizontal bars (categories with long names); `columns`: vertical bars (a time series). */
  | { kind: 'bars' | 'columns'; series: string[]; data: Array<{ label: string; values: number[] }> }
  /** A half-circle gauge: `value` out of `total`. */
  | { kind: 'gauge'; value: number; total: number; valueLabel: string; restLabel: string };

const listed = 8;

/** The text alternative of a chart (its aria-label): what it shows, in words, pointing at the table. */
export function chartSummary(title: string, spec: ChartSpec): string {
  if (spec.kind === 'gauge') {
    const rate = spec.total ? Math.round((spec.value / spec.total) * 100) : null;
    return `${t.chart.gauge} : ${title}, ${rate === null ? t.chart.noData : `${rate} % (${spec.value} / ${spec.total})`}. ${t.chart.seeTable}`;
  }
  if (spec.data.length === 0) return `${t.chart.bars} : ${title}. ${t.chart.noData}`;
  const items = spec.data.slice(0, listed).map((d) => `${d.label} : ${d.values.map((v, i) => (spec.series.length > 1 ? `${spec.series[i]} ${v}` : String(v))).join(', ')}`);
  const more = spec.data.length > listed ? ` ; ${t.chart.more(spec.data.length - listed)}` : '';
  return `${t.chart.bars} : ${title}. ${items.join(' ; ')}${more}. ${t.chart.seeTable}`;
}
