'use client';
import { useLayoutEffect, useState, type RefObject } from 'react';

/** The element's content width in px, following resizes; 0 until measured (server render, first paint). */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width));
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined) setWidth(Math.floor(w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** The element's border-box height in px, following resizes (the sticky header, to stick below it). */
export function useElementHeight(ref: RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setHeight(Math.ceil(el.getBoundingClientRect().height));
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return height;
}

/** The root font size in px: the design scales type with the viewport, and the charts follow it. */
export function useRootFontSize(): number {
  const [px, setPx] = useState(16);
  useLayoutEffect(() => {
    const read = () => setPx(parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);
    read();
    window.addEventListener('resize', read);
    return () => window.removeEventListener('resize', read);
  }, []);
  return px;
}
