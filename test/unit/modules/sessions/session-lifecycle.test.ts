import { transitionRefusal } from '../../../../src/modules/sessions/session-lifecycle';
import type { SessionStatus } from '../../../../src/modules/sessions/sessions.schema';

/** The status rules of digest §3.2.5/3.2.6, every pair of statuses. */

const ALL: SessionStatus[] = ['PENDING', 'RESERVATION', 'ACTIVE', 'COMPLETED', 'INVALID'];
const ALLOWED: Record<SessionStatus, SessionStatus[]> = {
  PENDING: ['PENDING', 'RESERVATION', 'ACTIVE', 'COMPLETED', 'INVALID'],
  RESERVATION: ['PENDING', 'RESERVATION', 'ACTIVE', 'COMPLETED', 'INVALID'],
  ACTIVE: ['ACTIVE', 'COMPLETED', 'INVALID'],
  COMPLETED: [],
  INVALID: [],
};

describe('session status transitions', () => {
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));
  it.each(pairs)('when a %s session is changed to %s, then the move is allowed exactly when the life cycle says so', (from, to) => {
    const refusal = transitionRefusal(from, to);
    if (ALLOWED[from].includes(to)) expect(refusal).toBeUndefined();
    else expect(refusal).toEqual(expect.stringContaining(from));
  });
});
