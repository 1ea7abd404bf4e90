import type { SessionStatus } from './sessions.schema';

/** COMPLETED and INVALID sessions never change again (digest §3.2.5). */
export const FINAL_STATES: readonly SessionStatus[] = ['COMPLETED', 'INVALID'];

export const isFinal = (status: string): boolean => (FINAL_STATES as readonly string[]).includes(status);

/** PENDING/RESERVATION → ACTIVE → COMPLETED; moves within a stage (PENDING ↔ RESERVATION) are allowed. */
const STAGE: Record<SessionStatus, number> = { PENDING: 0, RESERVATION: 0, ACTIVE: 1, COMPLETED: 2, INVALID: 2 };

/** Why a stored session in status `from` may not be changed into status `to`; undefined when it may. */
export function transitionRefusal(from: SessionStatus, to: SessionStatus): string | undefined {
  if (isFinal(from)) return `Session is ${from}, a final state: it cannot change any more`;
  if (to === 'INVALID') return undefined;
  if (STAGE[to] < STAGE[from]) return `Session status cannot move back from ${from} to ${to}`;
  return undefined;
}
