import type { ReactNode } from 'react';

/** Inline SVG icons (no icon font, no network). All take currentColor and are hidden from screen readers. */
export interface IconProps { size?: number; className?: string }

function Svg({ size = 16, className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.8}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className={className}>
      {children}
    </svg>
  );
}

export const CheckIcon = (p: IconProps) => <Svg {...p}><path d="M3.5 8.5l3 3 6-7" /></Svg>;
export const CrossIcon = (p: IconProps) => <Svg {...p}><path d="M4 4l8 8M12 4l-8 8" /></Svg>;
export const AlertIcon = (p: IconProps) => (
  <Svg {...p}><path d="M8 1.8l6.6 11.6H1.4z" /><path d="M8 6.2v3.4M8 11.6v.1" /></Svg>
);
export const InfoIcon = (p: IconProps) => <Svg {...p}><circle cx="8" cy="8" r="6.3" /><path d="M8 7.3v4M8 4.8v.1" /></Svg>;
export const ChevronDownIcon = (p: IconProps) => <Svg {...p}><path d="M4 6l4 4 4-4" /></Svg>;
export const ChevronRightIcon = (p: IconProps) => <Svg {...p}><path d="M6 4l4 4-4 4" /></Svg>;
export const ClockIcon = (p: IconProps) => <Svg {...p}><circle cx="8" cy="8" r="6.3" /><path d="M8 4.6V8l2.4 1.6" /></Svg>;
export const ArchiveIcon = (p: IconProps) => (
  <Svg {...p}><rect x="1.8" y="2.5" width="12.4" height="3.2" rx="0.8" /><path d="M2.8 5.7v7.1h10.4V5.7M6.3 8.4h3.4" /></Svg>
);
export const SunIcon = (p: IconProps) => (
  <Svg {...p}><circle cx="8" cy="8" r="2.8" /><path d="M8 1.5v1.3M8 13.2v1.3M1.5 8h1.3M13.2 8h1.3M3.4 3.4l.9.9M11.7 11.7l.9.9M3.4 12.6l.9-.9M11.7 4.3l.9-.9" /></Svg>
);
export const MoonIcon = (p: IconProps) => <Svg {...p}><path d="M13.5 9.6A5.8 5.8 0 0 1 6.4 2.5a5.8 5.8 0 1 0 7.1 7.1z" /></Svg>;
