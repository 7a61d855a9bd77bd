/** What every part of `npm run bench` shares: one broker and one InfluxDB for the whole run. */
export interface BenchContext {
  brokerUrl: string;
  influxUrl: string;
  /** The broker's and InfluxDB's processes, measured beside each system. */
  sharedPids: Record<string, number | undefined>;
  /** Shorter steps, one round, a one-minute soak: minutes instead of most of an hour. */
  quick: boolean;
}

/** One part's contribution to results.json and results.md. */
export interface BenchSection<T = unknown> {
  key: string;
  json: T;
  markdown: string;
  /** Headline lines for the summary at the top (each a target and whether it is met). */
  targets: TargetCheck[];
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';
