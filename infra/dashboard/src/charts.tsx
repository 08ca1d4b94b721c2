/**
 * Small SVG charts: enough for a dozen daily series without a charting library (the bundle stays a few KB).
 */
import type { ComponentChildren } from 'preact';

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569', '#0d9488', '#9333ea'];
const W = 560;
const H = 200;
const PAD = { left: 44, right: 8, top: 10, bottom: 26 };

export interface Series {
  label: string;
  values: Array<number | null>;
}

const colour = (i: number) => PALETTE[i % PALETTE.length] as string;
const short = (day: string) => day.slice(5);

function Axis({ labels, max, format }: { labels: string[]; max: number; format: (n: number) => string }) {
  const innerH = H - PAD.top - PAD.bottom;
  const step = Math.max(1, Math.ceil(labels.length / 7));
  return (
    <g class="axis">
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + innerH * (1 - f)} y2={PAD.top + innerH * (1 - f)} stroke="#e5e7eb" />
          <text x={PAD.left - 4} y={PAD.top + innerH * (1 - f) + 4} text-anchor="end">
            {format(max * f)}
          </text>
        </g>
      ))}
      {labels.map((label, i) =>
        i % step === 0 ? (
          <text key={label} x={PAD.left + ((W - PAD.left - PAD.right) / labels.length) * (i + 0.5)} y={H - 8} text-anchor="middle">
            {short(label)}
          </text>
        ) : null,
      )}
    </g>
  );
}

function Legend({ series }: { series: Series[] }) {
  return (
    <div class="legend">
      {series.map((s, i) => (
        <span key={s.label}>
          <i style={{ background: colour(i) }} />
          {s.label}
        </span>
      ))}
    </div>
  );
}

interface ChartProps {
  title: string;
  labels: string[];
  series: Series[];
  format?: (n: number) => string;
}

const plainNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** What every chart has: the titled figure, the axis up to `max`, the plot (children) and a legend for several series. */
function ChartFrame({ title, labels, series, format = plainNumber, max, children }: ChartProps & { max: number; children: ComponentChildren }) {
  return (
    <figure class="chart" data-chart={title}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <Axis labels={labels} max={max} format={format} />
        {children}
      </svg>
      {series.length > 1 ? <Legend series={series} /> : null}
    </figure>
  );
}

/** Stacked bars per day. */
export function BarChart(props: ChartProps) {
  const { labels, series } = props;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, labels.length);
  return (
    <ChartFrame {...props} max={max}>
      {labels.map((label, i) => {
        let y = PAD.top + innerH;
        return (
          <g key={label}>
            {series.map((s, j) => {
              const h = ((s.values[i] ?? 0) / max) * innerH;
              y -= h;
              return h > 0 ? <rect key={s.label} x={PAD.left + slot * i + slot * 0.15} y={y} width={slot * 0.7} height={h} fill={colour(j)} /> : null;
            })}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/** Lines per series; gaps where a day has no value. */
export function LineChart(props: ChartProps) {
  const { labels, series } = props;
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (innerW / Math.max(1, labels.length)) * (i + 0.5);
  const y = (v: number) => PAD.top + innerH * (1 - v / max);
  return (
    <ChartFrame {...props} max={max}>
      {series.map((s, j) => {
        const points = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`));
        return (
          <g key={s.label}>
            <polyline points={points.filter(Boolean).join(' ')} fill="none" stroke={colour(j)} stroke-width="2.5" />
            {s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r="4" fill={colour(j)} />))}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/** A rate with its confidence interval, 0–100 %. */
export function IntervalBar({ rate, lower, upper }: { rate: number; lower: number; upper: number }) {
  return (
    <svg class="interval" viewBox="0 0 200 16" role="img" aria-label={`${(rate * 100).toFixed(1)}% [${(lower * 100).toFixed(1)}%, ${(upper * 100).toFixed(1)}%]`}>
      <rect x="0" y="7" width="200" height="2" fill="#e5e7eb" />
      <rect x={lower * 200} y="3" width={Math.max(1, (upper - lower) * 200)} height="10" fill="#bfdbfe" />
      <rect x={rate * 200 - 1.5} y="1" width="3" height="14" fill="#1d4ed8" />
    </svg>
  );
}
