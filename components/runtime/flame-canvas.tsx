'use client';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { flameAncestors, nodeName, searchFlameGraph, type FlameGraph } from '@/lib/analysis/flame';
import { hitTestFlame, layoutFlameGraph } from '@/lib/analysis/flame-layout';
import { useElementWidth } from '@/components/timeline/use-element-width';
import { formatPct, formatSampleValue } from './value-format';
import { shortFunction } from './goroutine-rows';
import styles from './runtime.module.css';

export interface FlameCanvasProps {
  graph: FlameGraph;
  unit: string;
  search: string;
  /** Zoomed node, owned by the parent so the top table can zoom too. */
  zoom: number;
  onZoom: (node: number) => void;
}

const ROW = 18;

/** Stable colour per frame name: blues to violets (green, amber and red mean status here; pink marks search hits). */
function hueOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return 200 + ((h >>> 0) % 60);
}

/**
 * The flame graph on a canvas. layoutFlameGraph skips nodes under half a pixel with their whole
 * subtrees, so a 100k-node tree draws a few thousand rectangles; hover hit-tests the same layout.
 */
export function FlameCanvas({ graph: g, unit, search, zoom, onZoom }: FlameCanvasProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(box);
  const [hover, setHover] = useState<{ node: number; x: number; y: number } | null>(null);
  const layout = useMemo(() => (width > 0 ? layoutFlameGraph(g, { zoomNode: zoom, width, minWidthPx: 0.5 }) : null), [g, zoom, width]);
  const found = useMemo(() => (search.trim() ? searchFlameGraph(g, search.trim()) : null), [g, search]);
  const height = (g.maxDepth + 1) * ROW;

  useEffect(() => {
    const c = canvas.current;
    if (!c || !layout) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const light = document.documentElement.dataset.theme === 'light';
    const mono = getComputedStyle(document.body).getPropertyValue('--font-mono') || 'monospace';
    ctx.font = `11px ${mono}`;
    ctx.textBaseline = 'middle';
    const charW = ctx.measureText('m').width || 6.6;
    for (let i = 0; i < layout.count; i++) {
      const node = layout.nodeIndex[i]!;
      const x = layout.x[i]!;
      const w = layout.width[i]!;
      const y = layout.depth[i]! * ROW;
      const name = nodeName(g, node);
      const context = i < layout.ancestorCount;
      const hit = found ? found.matches[node] === 1 : false;
      const dim = found !== null && !hit;
      ctx.fillStyle = hit ? (light ? '#bf3989' : '#f778ba')
        : `hsl(${hueOf(name)} ${context ? 12 : dim ? 15 : 55}% ${light ? (dim ? 88 : 72) : dim ? 22 : 38}%)`;
      ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
      if (w > charW * 4) {
        const label = shortFunction(name);
        const fit = Math.floor((w - 6) / charW);
        const text = label.length > fit ? `${label.slice(0, Math.max(fit - 1, 1))}…` : label;
        ctx.fillStyle = light ? (dim ? '#6b788b' : '#101723') : dim ? '#75839a' : '#e9eef5';
        ctx.fillText(text, x + 3, y + ROW / 2);
      }
    }
  }, [layout, found, g, width, height]);

  const pending = useRef<number | null>(null);
  const onMove = useCallback((e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const bx = box.current?.getBoundingClientRect();
    if (pending.current !== null) cancelAnimationFrame(pending.current);
    pending.current = requestAnimationFrame(() => {
      pending.current = null;
      if (!layout) return;
      const node = hitTestFlame(layout, px, py, ROW);
      setHover(node < 0 ? null : { node, x: e.clientX - (bx?.left ?? 0), y: e.clientY - (bx?.top ?? 0) + (box.current?.scrollTop ?? 0) });
    });
  }, [layout]);
  useEffect(() => () => { if (pending.current !== null) cancelAnimationFrame(pending.current); }, []);

  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!layout) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const node = hitTestFlame(layout, e.clientX - rect.left, e.clientY - rect.top, ROW);
    if (node >= 0) onZoom(node);
  };

  const rootTotal = g.total[0]! || 1;
  const tip = hover ? { name: nodeName(g, hover.node), total: g.total[hover.node]!, self: g.self[hover.node]! } : null;
  const crumbs = zoom > 0 ? flameAncestors(g, zoom) : [];

  return (
    <div className={styles.flameWrap}>
      {crumbs.length ? (
        <nav className={styles.crumbs} aria-label="Zoom path">
          {crumbs.map((n, i) => (
            <span key={n}>{i > 0 ? '› ' : ''}<button type="button" className={styles.linkButton} onClick={() => onZoom(n)}>{shortFunction(nodeName(g, n)).split('/').pop()}</button></span>
          ))}
        </nav>
      ) : null}
      <div ref={box} className={styles.flameCanvasBox} onMouseLeave={() => setHover(null)}>
        <canvas ref={canvas} className={styles.flameCanvas} style={{ height }} onMouseMove={onMove} onClick={onClick}
          data-testid="flame-canvas" data-rects={layout?.count ?? 0} role="img"
          aria-label={`Flame graph: ${g.count} frames${found ? `, ${found.matchCount} match the search` : ''}`} />
        {tip && hover ? (
          <div className={styles.tooltip} style={{ left: Math.min(hover.x + 14, Math.max(0, width - 420)), top: hover.y + 16 }} data-testid="flame-tooltip">
            <code>{tip.name}</code>
            <span className="num">{formatSampleValue(tip.total, unit)} ({formatPct((tip.total / rootTotal) * 100)}) · self {formatSampleValue(tip.self, unit)}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
