import { Type } from '@sinclair/typebox';
import { callPartner, PartnerCallError } from '../ocpi/outbound';
import { outboundRoutingHeaders } from '../ocpi/routing-headers';
import type { Logger } from '../platform/logger';
import type { PartnerRecord } from '../modules/credentials/partner.mapper';
import type { PushAnswer, PushRequest } from './delivery-handler';
import { AttemptFailed } from './delivery-errors';

/** A receiver's answer carries no data we use; compiled once (validators are cached per schema object). */
const ANY_DATA = Type.Unknown();

/** A DELETE answered 404: the partner does not hold the object, which is what the DELETE was for. */
function alreadyGone(request: PushRequest, error: unknown): boolean {
  return request.method === 'DELETE' && error instanceof PartnerCallError && error.kind === 'http-error' && error.httpStatus === 404;
}

/**
 * Sends one push request to a partner's receiver, with our routing headers and its token. A success is
 * logged here ("push attempt", delivered); a failure is thrown as `AttemptFailed` carrying its log line,
 * logged by the worker once it is known what the failure means (a partner that is down is not worth a
 * warning per delivery).
 */
export function createPushRequestSender(
  logger: Logger,
  us: { countryCode: string; partyId: string },
  timeoutMs: number,
  timed: (partnerId: string, module: string, seconds: number) => void = () => undefined,
) {
  const routingHeaders = (partner: PartnerRecord) => outboundRoutingHeaders(us, partner.roles[0]);

  return async function send(module: string, partner: PartnerRecord, request: PushRequest): Promise<PushAnswer> {
    const started = Date.now();
    const timer = performance.now();
    const log = { partner: partner.id, module, object: request.object, method: request.method };
    let location: string | undefined;
    try {
      const answer = await callPartner({ method: request.method, url: request.url, token: partner.outboundToken!, body: request.body, timeoutMs, headers: routingHeaders(partner) }, ANY_DATA);
      location = answer.headers.get('location') ?? undefined;
    } catch (error) {
      timed(partner.id, module, (performance.now() - timer) / 1000);
      if (alreadyGone(request, error)) {
        logger.info('push attempt', { ...log, outcome: 'already gone', duration_ms: Date.now() - started });
        return { location: undefined };
      }
      throw new AttemptFailed(error, { ...log, outcome: 'failed', duration_ms: Date.now() - started, error: (error as Error).message });
    }
    timed(partner.id, module, (performance.now() - timer) / 1000);
    logger.info('push attempt', { ...log, outcome: 'delivered', duration_ms: Date.now() - started });
    return { location };
  };
}
