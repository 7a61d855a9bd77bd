import { isWeekend, type LocalTime } from './local-time';

/**
 * Daily shapes, each a pure function of local time scaled to about 0–1. They follow the
 * familiar pictures of Flemish traffic counts: commuter peaks at 8h and 17h on weekdays, one
 * broad afternoon hump at weekends, cyclists with sharper school-and-work peaks, pedestrians
 * around midday.
 */
function bump(hour: number, centre: number, width: number): number {
  return Math.exp(-((hour - centre) ** 2) / (2 * width ** 2));
}

export function carIntensity(t: LocalTime): number {
  if (isWeekend(t)) return 0.06 + 0.55 * bump(t.hour, 14, 3.5);
  return 0.05 + 1.0 * bump(t.hour, 8, 1.1) + 0.9 * bump(t.hour, 17.25, 1.5) + 0.4 * bump(t.hour, 12.5, 2.5);
}

export function bikeIntensity(t: LocalTime): number {
  if (isWeekend(t)) return 0.03 + 0.5 * bump(t.hour, 14, 2.8);
  return 0.02 + 1.0 * bump(t.hour, 8, 0.8) + 0.8 * bump(t.hour, 16.75, 1.1) + 0.25 * bump(t.hour, 12.5, 1.5);
}

export function pedestrianIntensity(t: LocalTime): number {
  const base = 0.02 + 0.8 * bump(t.hour, 12.75, 2.8) + 0.35 * bump(t.hour, 18.5, 1.5);
  return isWeekend(t) ? base * 1.3 : base;
}

/** 0 at night, 1 at solar noon: drives ozone and temperature. */
export function daylight(t: LocalTime): number {
  return Math.max(0, Math.sin(((t.hour - 6.5) / 14) * Math.PI));
}

/**
 * Weather that drifts over days, the same for the whole city at one instant: a sum of slow
 * waves with phases from the seed. Returns about 0–1.
 */
export function weatherDrift(epochMs: number, phase: number): number {
  const days = epochMs / 86_400_000;
  const value =
    0.5 +
    0.3 * Math.sin(2 * Math.PI * (days / 3.1 + phase)) +
    0.15 * Math.sin(2 * Math.PI * (days / 1.3 + 2 * phase)) +
    0.05 * Math.sin(2 * Math.PI * (days / 0.45 + 3 * phase));
  return Math.min(1, Math.max(0, value));
}
