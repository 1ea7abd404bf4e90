import { parseDateTime } from '../../ocpi/pagination';

type Fields = Record<string, unknown>;

const inForce = (tariff: Fields, at: Date): boolean => {
  const from = tariff.start_date_time as string | undefined;
  const until = tariff.end_date_time as string | undefined;
  return (from === undefined || parseDateTime(from) <= at) && (until === undefined || at < parseDateTime(until));
};

/**
 * The tariff a session is priced with, of those its connector named at its start (the seal): one in
 * force at the session's start, by type (digest §3.4.4): an ad-hoc payer's `AD_HOC_PAYMENT` first;
 * otherwise `REGULAR` or untyped ("valid for all sessions") first; failing those, the first in force in
 * the connector's order. Undefined when none is in force: the session is not priced by the node.
 */
export function sessionTariff(tariffs: Fields[], session: { start_date_time: string; cdr_token: { type: string } }): Fields | undefined {
  const candidates = tariffs.filter((tariff) => inForce(tariff, parseDateTime(session.start_date_time)));
  const preferred = session.cdr_token.type === 'AD_HOC_USER' ? ['AD_HOC_PAYMENT', 'REGULAR', undefined] : ['REGULAR', undefined];
  for (const type of preferred) {
    const match = candidates.find((tariff) => tariff.type === type);
    if (match) return match;
  }
  return candidates[0];
}
