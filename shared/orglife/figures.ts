/**
 * The township dashboard's organizational-life figures per branch (issue 20.7), derived from
 * the due engine's items and the records: nothing is typed in for them, nothing is ranked.
 */
import type { IsoDate } from '../calendar.js';
import type { DueItem } from './due.js';
import { periodOf } from './rules.js';

export interface QuarterFigures {
  /** Monthly and quarterly items of this quarter asked so far (a month not yet begun is not asked). */
  due: number;
  done: number;
  overdue: number;
}

/** This quarter's items (the yearly ones are left to the calendar: they fall due in December). */
export function quarterFigures(items: readonly DueItem[], today: IsoDate): QuarterFigures {
  const q = periodOf('quarterly', today);
  const inQuarter = items.filter((i) => i.period.frequency !== 'yearly' && i.period.start >= q.start && i.period.end <= q.end);
  return {
    due: inQuarter.length,
    done: inQuarter.filter((i) => i.status === 'done').length,
    overdue: inQuarter.filter((i) => i.status === 'overdue').length,
  };
}
