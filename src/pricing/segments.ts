import { Decimal } from './decimal';
import type { ZoneTimeline } from './local-time';
import type { MeasuredPeriod } from './periods';
import type { Moment } from './restrictions';

/** A piece of a charging period inside which no restriction can change. */
export interface Segment {
  /** Share of the period's time volumes (TIME, PARKING_TIME, RESERVATION_TIME) that falls in this piece. */
  share: Decimal;
  /** kWh delivered in this piece. */
  energy: Decimal;
  /** The session state in the middle of the piece, where its restrictions are evaluated. */
  moment: Moment;
}

export interface SplitContext {
  timeline: ZoneTimeline;
  /** Instants where a local time-of-day, date or weekday restriction can change (ZoneTimeline.boundaries), sorted. */
  clockBoundaries: readonly number[];
  /** Instant the elapsed time of duration restrictions counts from. */
  anchor: number;
  /** Distinct min_duration/max_duration values of the tariff, in milliseconds. */
  durationThresholds: readonly number[];
  /** Distinct min_kwh/max_kwh values of the tariff. */
  kwhThresholds: readonly Decimal[];
}

interface Cut {
  at: Decimal;
  energy?: Decimal;
}

/**
 * Cuts a period wherever a restriction could change inside it: a local clock boundary, a duration threshold, or the
 * instant a kWh threshold is passed (energy is taken to accrue linearly over the period). Restrictions are then read
 * in the middle of each piece, so a bound is inclusive where the spec says "from" and exclusive where it says "until".
 */
export function splitPeriod(period: MeasuredPeriod, energyBefore: Decimal, context: SplitContext): Segment[] {
  const { timeline, anchor } = context;
  const length = period.end - period.start;
  if (length === 0) {
    const local = timeline.local(period.start);
    return [{ share: new Decimal(1), energy: period.energy, moment: { local, energy: energyBefore, elapsedMs: new Decimal(period.start - anchor) } }];
  }
  const start = new Decimal(period.start);
  const cuts: Cut[] = [];
  for (const instant of context.clockBoundaries) {
    if (instant > period.start && instant < period.end) cuts.push({ at: new Decimal(instant) });
  }
  for (const threshold of context.durationThresholds) {
    const instant = anchor + threshold;
    if (instant > period.start && instant < period.end) cuts.push({ at: new Decimal(instant) });
  }
  const energyAfter = energyBefore.plus(period.energy);
  if (period.energy.gt(0)) {
    for (const threshold of context.kwhThresholds) {
      if (threshold.gt(energyBefore) && threshold.lt(energyAfter)) {
        cuts.push({ at: start.plus(threshold.minus(energyBefore).div(period.energy).times(length)), energy: threshold });
      }
    }
  }
  cuts.sort((a, b) => a.at.comparedTo(b.at));
  const points: Required<Cut>[] = [{ at: start, energy: energyBefore }];
  for (const cut of cuts) {
    if (cut.at.eq(points[points.length - 1]!.at)) continue;
    points.push({ at: cut.at, energy: cut.energy ?? energyBefore.plus(period.energy.times(cut.at.minus(start)).div(length)) });
  }
  points.push({ at: new Decimal(period.end), energy: energyAfter });

  const segments: Segment[] = [];
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1]!;
    const to = points[i]!;
    const middle = from.at.plus(to.at).div(2);
    segments.push({
      share: to.at.minus(from.at).div(length),
      energy: to.energy.minus(from.energy),
      moment: {
        local: timeline.local(middle.floor().toNumber()),
        energy: from.energy.plus(to.energy).div(2),
        elapsedMs: middle.minus(anchor),
      },
    });
  }
  return segments;
}
