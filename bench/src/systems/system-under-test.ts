/** One of the systems the ingest benchmark compares, started fresh for each ladder. */
export interface SystemUnderTest {
  /** Short key for results.json. */
  readonly key: string;
  /** What the results table calls it. */
  readonly label: string;
  start(qos: 0 | 1): Promise<void>;
  /** Its own processes, whose CPU and memory are charged to it. */
  pids(): Record<string, number | undefined>;
  /** Messages stored (or counted) whose send time is at or after `sinceMs`. */
  stored(sinceMs: number): Promise<number>;
  stop(): Promise<void>;
}
