import 'server-only';
import { MIRRORED_COMPONENTS, mirroredRows, mirrorQuery, type MirroredRows } from '@/lib/prometheus/mirror';
import type { Component } from '@/lib/recording/types';
import type { PrometheusConfig } from '../config';
import { displayUrl, queryRange } from './client';

/**
 * Where the recorder reads the apiserver's and etcd's series when it does not scrape them itself
 * (see lib/prometheus/mirror.ts for the PromQL, and ClusterRecorder for when it falls back).
 */
export interface MetricsMirror {
  /** Components it can answer for. */
  readonly components: Component[];
  /** One step per Prometheus scrape interval. */
  readonly stepMs: number;
  /** A step is asked for once Prometheus has scraped past it. */
  readonly lagMs: number;
  /** For logs and the page: where the series come from. */
  readonly url: string;
  fetch(start: number, end: number, signal: AbortSignal): Promise<MirroredRows>;
}

export class PrometheusMirror implements MetricsMirror {
  readonly components = MIRRORED_COMPONENTS;
  readonly stepMs: number;
  readonly lagMs: number;
  readonly url: string;
  private readonly expr: string;

  constructor(private readonly cfg: PrometheusConfig) {
    this.stepMs = cfg.scrapeIntervalSeconds * 1000;
    // A scrape is stamped when it starts and is visible once it is ingested: one interval (at most
    // the scrape timeout Prometheus allows, which cannot exceed it) covers both.
    this.lagMs = this.stepMs;
    this.url = displayUrl(cfg.url);
    this.expr = mirrorQuery({ labels: cfg.labels, scrapeIntervalSeconds: cfg.scrapeIntervalSeconds });
  }

  async fetch(start: number, end: number, signal: AbortSignal): Promise<MirroredRows> {
    return mirroredRows(await queryRange(this.cfg, { expr: this.expr, start, end, step: this.cfg.scrapeIntervalSeconds }, signal));
  }
}
