import { fr } from '@codegouvfr/react-dsfr';
import { useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartSpec } from './chartSpec.ts';

/**
 * The recharts drawing of a figure (loaded on demand: only the dashboards pay for recharts).
 * DSFR colour tokens are CSS variables, so the charts follow the light/dark theme by themselves.
 * recharts' own keyboard layer is off: the chart is one image (role="img", summary in its
 * label, set by the caller) and the data table under it is the accessible form.
 */
const colors = [fr.colors.decisions.artwork.major.blueFrance.default, fr.colors.decisions.artwork.major.greenArchipel.default];
const ink = fr.colors.decisions.text.mention.grey.default;
const grid = fr.colors.decisions.border.default.grey.default;
const tick = { fill: ink, fontSize: 14 };
const tooltip = { contentStyle: { background: fr.colors.decisions.background.default.grey.default, border: `1px solid ${grid}`, color: fr.colors.decisions.text.default.grey.default } };

const narrowQuery = '(max-width: 575.98px)';
/** Phone width: the category names get less room (the table under the chart has them in full). */
function useNarrow() {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(narrowQuery);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(narrowQuery).matches,
  );
}

const charWidth = 7.5;
const lineHeight = 17;

/**
 * Splits a category name into lines of at most `max` characters, at spaces or after a "/" or a
 * hyphen ("Auvergne-Rhône-" / "Alpes" on a phone), never inside a word.
 */
export function wrapLabel(label: string, max: number): string[] {
  const words = label.split(/(?<=[/-])|\s+/).filter(Boolean);
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    const joined = last === undefined ? word : /[/-]$/.test(last) ? `${last}${word}` : `${last} ${word}`;
    if (last !== undefined && joined.length <= max) lines[lines.length - 1] = joined;
    else lines.push(word);
  }
  return lines;
}

/** A category name on the vertical axis, in full, wrapped on as many lines as it needs. */
function WrappedTick({ x, y, payload, max }: { x?: number; y?: number; payload?: { value: string }; max: number }) {
  const lines = wrapLabel(payload?.value ?? '', max);
  return (
    <text className="rpps-category-label" x={x} y={y} fill={ink} fontSize={tick.fontSize} textAnchor="end">
      {lines.map((line, i) => (
        <tspan key={i} x={x} dx={-6} dy={i === 0 ? `${0.35 - ((lines.length - 1) * lineHeight) / 2 / tick.fontSize}em` : lineHeight}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

export default function Chart({ spec }: { spec: ChartSpec }) {
  const narrow = useNarrow();
  if (spec.kind === 'gauge') {
    const data = [
      { name: spec.valueLabel, value: spec.value },
      { name: spec.restLabel, value: Math.max(spec.total - spec.value, 0) },
    ];
    const rate = spec.total ? Math.round((spec.value / spec.total) * 100) : null;
    return (
      <div style={{ position: 'relative', maxWidth: 320, height: 180 }}>
        <ResponsiveContainer width="100%" height="100%">
          <PieChart accessibilityLayer={false}>
            <Pie data={data} dataKey="value" startAngle={180} endAngle={0} cx="50%" cy="85%" innerRadius="110%" outerRadius="150%" isAnimationActive={false} stroke="none">
              <Cell fill={colors[0]} />
              <Cell fill={fr.colors.decisions.background.contrast.grey.default} />
            </Pie>
          </PieChart>
        </ResponsiveContainer>
        <p className={fr.cx('fr-h3', 'fr-mb-0')} style={{ position: 'absolute', bottom: 0, width: '100%', textAlign: 'center' }}>
          {rate === null ? '—' : `${rate} %`}
        </p>
      </div>
    );
  }

  const horizontal = spec.kind === 'bars';
  // Room for the category names: wrapped in full on as many lines as they need, each bar's row as tall as its name.
  const axisWidth = Math.min(narrow ? 130 : 260, Math.max(80, ...spec.data.map((d) => Math.min(d.label.length, 30) * charWidth + 16)));
  const maxChars = Math.floor((axisWidth - 12) / charWidth);
  const maxLines = Math.max(1, ...spec.data.map((d) => wrapLabel(d.label, maxChars).length));
  const data = spec.data.map((d) => ({ label: d.label, ...Object.fromEntries(spec.series.map((s, i) => [s, d.values[i] ?? 0])) }));
  const rowHeight = Math.max(32 + 14 * spec.series.length, maxLines * lineHeight + 12);
  const height = horizontal ? Math.max(140, data.length * rowHeight + 60) : 280;
  return (
    <div style={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout={horizontal ? 'vertical' : 'horizontal'} margin={{ top: 8, right: 24, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke={grid} strokeDasharray="3 3" horizontal={!horizontal} vertical={horizontal} />
          {horizontal ? (
            <>
              <XAxis type="number" allowDecimals={false} tick={tick} stroke={grid} />
              <YAxis type="category" dataKey="label" width={axisWidth} tick={<WrappedTick max={maxChars} />} stroke={grid} interval={0} />
            </>
          ) : (
            <>
              <XAxis type="category" dataKey="label" tick={tick} stroke={grid} />
              <YAxis type="number" allowDecimals={false} tick={tick} stroke={grid} width={40} />
            </>
          )}
          <Tooltip {...tooltip} cursor={{ fill: fr.colors.decisions.background.alt.grey.default }} />
          {spec.series.length > 1 && <Legend itemSorter={null} formatter={(value: string) => <span style={{ color: ink }}>{value}</span>} />}
          {spec.series.map((s, i) => (
            <Bar key={s} dataKey={s} name={s} fill={colors[i % colors.length]} isAnimationActive={false} maxBarSize={horizontal ? 24 : 48} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
