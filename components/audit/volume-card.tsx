'use client';
import { useMemo } from 'react';
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card } from '@/components/ui/card';
import { formatBytes } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import type { AuditSummaryData } from '@/lib/query/audit';
import { formatMinute } from './format';
import styles from './audit.module.css';

export interface VolumeCardProps {
  data: AuditSummaryData;
  /** Zoom to one step of the chart (a click on a bar). */
  onZoom: (range: { from: number; to: number }) => void;
}

/** Events (bars) and bytes (line) over time, with 4xx/5xx counts per step. */
export function VolumeCard({ data, onZoom }: VolumeCardProps) {
  const points = useMemo(() => {
    const errors = new Map<number, { e4: number; e5: number }>();
    const from = data.range?.from ?? 0;
    for (const e of data.errorsPerMinute) {
      const t = from + Math.floor((e.minute - from) / data.stepMs) * data.stepMs;
      const b = errors.get(t) ?? { e4: 0, e5: 0 };
      if (e.code >= 500) b.e5 += e.count; else b.e4 += e.count;
      errors.set(t, b);
    }
    return data.volume.map((v) => ({ ...v, ...(errors.get(v.t) ?? { e4: 0, e5: 0 }) }));
  }, [data]);
  const step = data.stepMs >= 3_600_000 ? `${data.stepMs / 3_600_000} h` : `${data.stepMs / 60_000} min`;
  return (
    <Card id="audit-volume" title="Volume" testId="audit-volume" aside={`per ${step} · UTC`}>
      {points.length === 0 ? <p className={styles.empty}>No audit events in this range.</p> : (
        <div style={{ width: '100%', height: 230 }}>
          <ResponsiveContainer>
            <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} style={{ cursor: data.stepMs > 60_000 ? 'zoom-in' : undefined }}
              onClick={(s) => {
                const t = Number(s?.activeLabel);
                if (data.stepMs > 60_000 && Number.isFinite(t)) onZoom({ from: t, to: t + data.stepMs });
              }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatMinute(t).slice(11)} fontSize={11} stroke="var(--text-muted)" />
              <YAxis yAxisId="events" tickFormatter={(v: number) => formatCount(v)} fontSize={11} stroke="var(--text-muted)" width={56} />
              <YAxis yAxisId="bytes" orientation="right" tickFormatter={(v: number) => formatBytes(v)} fontSize={11} stroke="var(--text-muted)" width={64} />
              <Tooltip
                labelFormatter={(t) => `${formatMinute(Number(t))} UTC`}
                formatter={(v, name) => [name === 'bytes' ? formatBytes(Number(v)) : formatCount(Number(v)), name === 'events' ? 'events' : name === 'bytes' ? 'bytes' : name === 'e5' ? '5xx' : '4xx']}
                contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 }}
              />
              <Bar yAxisId="events" dataKey="events" fill="var(--info)" opacity={0.55} isAnimationActive={false} />
              <Bar yAxisId="events" dataKey="e4" stackId="err" fill="var(--warn)" isAnimationActive={false} />
              <Bar yAxisId="events" dataKey="e5" stackId="err" fill="var(--crit)" isAnimationActive={false} />
              <Line yAxisId="bytes" dataKey="bytes" stroke="var(--accent-strong, var(--info))" dot={false} strokeWidth={2} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
      <p className={styles.note}>Bars: events (blue), 4xx (amber) and 5xx (red) responses. Line: bytes written to the log.{data.stepMs > 60_000 ? ' Click a bar to zoom in.' : ''}</p>
    </Card>
  );
}
