import type { AlertRuleInput } from '@meetnet/contracts';
import type { Judgement } from './alert-windows';

export interface OpenEpisode {
  start: number;
  peak: number;
  peakAt: number;
  coverage: number;
  /** The end of the latest window (or the latest reading) that kept it open. */
  lastAboveAt: number;
}

/** What one rule knows about one sensor between judgements. */
export interface Track {
  /** Above the threshold since, not yet for the minimum duration. */
  pendingSince?: number;
  open?: OpenEpisode;
  /** The latest judged time: nothing at or before it is judged again. */
  lastAt?: number;
}

export type Transition =
  | { type: 'opened'; episode: OpenEpisode }
  | { type: 'closed'; episode: OpenEpisode; end: number }
  | { type: 'peaked'; episode: OpenEpisode };

type Limits = Pick<AlertRuleInput, 'threshold' | 'clearBelow' | 'minDurationS' | 'minCoverage'>;

/**
 * One step of a rule for one sensor. Opens when the value has been above the threshold for the
 * minimum duration, closes at or below `clearBelow` (hysteresis), and ignores what is too thinly
 * covered to judge. A judgement at or before the latest one (late data, a replay) changes
 * nothing: an episode, once closed, is never re-opened for a time before it closed.
 */
export function judge(track: Track, limits: Limits, judgement: Judgement): Transition | undefined {
  if (track.lastAt !== undefined && judgement.at <= track.lastAt) return undefined;
  track.lastAt = judgement.at;
  if (judgement.coverage < limits.minCoverage) return undefined;
  const { value, at } = judgement;
  const clearBelow = limits.clearBelow ?? limits.threshold;
  const open = track.open;
  if (open) {
    if (value <= clearBelow) {
      track.open = undefined;
      // A reading closes at its own time; a window at the end of the last window that kept it open.
      const end = judgement.start === at ? at : open.lastAboveAt;
      return { type: 'closed', episode: open, end };
    }
    open.coverage = Math.min(open.coverage, judgement.coverage);
    open.lastAboveAt = at;
    if (value > open.peak) {
      open.peak = value;
      open.peakAt = at;
      return { type: 'peaked', episode: open };
    }
    return undefined;
  }
  if (value <= limits.threshold) {
    track.pendingSince = undefined;
    return undefined;
  }
  track.pendingSince ??= judgement.start;
  if (at - track.pendingSince < limits.minDurationS * 1000) return undefined;
  track.open = {
    start: track.pendingSince,
    peak: value,
    peakAt: at,
    coverage: judgement.coverage,
    lastAboveAt: at,
  };
  track.pendingSince = undefined;
  return { type: 'opened', episode: track.open };
}
