import { IANAZone } from 'luxon';
import { PricingError } from './errors';

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Zone offsets are sampled this often and bisected where they differ; no zone changes its offset twice in 6 hours. */
const SAMPLE_MS = 6 * 3_600_000;

/** Wall-clock reading of an instant in the location's zone: local day number (days since 1970-01-01), time of day, weekday (0 = Monday). */
export interface LocalMoment {
  dayNumber: number;
  msOfDay: number;
  weekday: number;
}

interface OffsetPiece {
  from: number;
  offsetMs: number;
}

/**
 * The UTC offsets of one zone over a time range (a day of margin either side), computed once per quote so that
 * every later local-time question is arithmetic. A DST change is one more piece, starting at the exact instant.
 */
export class ZoneTimeline {
  private readonly pieces: OffsetPiece[];

  constructor(zoneName: string, from: number, to: number) {
    const zone = IANAZone.create(zoneName);
    if (!zone.isValid) throw new PricingError(`unknown time zone ${JSON.stringify(zoneName)}`);
    const offsetAt = (ms: number) => zone.offset(ms) * MINUTE_MS;
    const first = from - DAY_MS;
    const last = to + DAY_MS;
    let previous = first;
    let previousOffset = offsetAt(first);
    this.pieces = [{ from: Number.NEGATIVE_INFINITY, offsetMs: previousOffset }];
    while (previous < last) {
      const next = Math.min(previous + SAMPLE_MS, last);
      const offset = offsetAt(next);
      if (offset !== previousOffset) {
        let lo = previous;
        let hi = next;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offsetAt(mid) === previousOffset) lo = mid;
          else hi = mid;
        }
        this.pieces.push({ from: hi, offsetMs: offset });
      }
      previous = next;
      previousOffset = offset;
    }
  }

  offsetAt(ms: number): number {
    for (let i = this.pieces.length - 1; i > 0; i--) {
      const piece = this.pieces[i]!;
      if (ms >= piece.from) return piece.offsetMs;
    }
    return this.pieces[0]!.offsetMs;
  }

  local(ms: number): LocalMoment {
    const wall = ms + this.offsetAt(ms);
    const dayNumber = Math.floor(wall / DAY_MS);
    return { dayNumber, msOfDay: wall - dayNumber * DAY_MS, weekday: (((dayNumber + 3) % 7) + 7) % 7 };
  }

  /**
   * The instants strictly inside (from, to) where a local-time restriction can change: each given local time of day
   * (and midnight) on every local day the range touches, in every offset that day has, and each offset change
   * itself (where a local time that does not exist that day is passed).
   */
  boundaries(from: number, to: number, msOfDay: readonly number[]): number[] {
    const found = new Set<number>();
    for (const piece of this.pieces) if (piece.from > from && piece.from < to) found.add(piece.from);
    const times = [0, ...msOfDay];
    const firstDay = this.local(from).dayNumber;
    const lastDay = this.local(to).dayNumber;
    for (let day = firstDay; day <= lastDay; day++) {
      for (const time of times) {
        const wall = day * DAY_MS + time;
        for (const piece of this.pieces) {
          const instant = wall - piece.offsetMs;
          if (instant > from && instant < to && this.offsetAt(instant) === piece.offsetMs) found.add(instant);
        }
      }
    }
    return [...found].sort((a, b) => a - b);
  }
}

/** `YYYY-MM-DD` as a local day number comparable with LocalMoment.dayNumber. */
export const dayNumberOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** `HH:MM` as milliseconds into the local day. */
export const msOfDayOf = (time: string): number => (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * MINUTE_MS;
