export interface BenchResult {
  /** What was measured, e.g. "parse throughput (1.3 MB apiserver scrape)". */
  metric: string;
  value: number;
  unit: string;
  /** The reference tool measured on the same input in the same run, e.g. "promtool check metrics". */
  reference?: string;
  referenceValue?: number;
  /** ours / reference, oriented so that > 1 means ours is better (faster, smaller). */
  ratio?: number;
  note?: string;
}
export type BenchSuite = () => Promise<BenchResult[]>;
