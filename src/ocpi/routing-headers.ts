import type { RequestHandler } from 'express';

export interface Party {
  countryCode: string;
  partyId: string;
}

const PARTY_ID = /^[A-Za-z0-9]{3}$/;
const COUNTRY = /^[A-Za-z]{2}$/;

/**
 * Routing headers on responses of functional modules (digest §1.9): FROM is us; TO is whoever the
 * request said it came from, when it said so.
 */
export function routingHeaders(us: Party): RequestHandler {
  return (req, res, next) => {
    res.setHeader('OCPI-from-country-code', us.countryCode);
    res.setHeader('OCPI-from-party-id', us.partyId);
    const country = req.headers['ocpi-from-country-code'];
    const party = req.headers['ocpi-from-party-id'];
    if (typeof country === 'string' && typeof party === 'string' && COUNTRY.test(country) && PARTY_ID.test(party)) {
      res.setHeader('OCPI-to-country-code', country);
      res.setHeader('OCPI-to-party-id', party);
    }
    next();
  };
}

/** Routing headers of a request we send (digest §1.9): FROM is us, TO the partner's first role when it has one. */
export function outboundRoutingHeaders(us: Party, to: { country_code: string; party_id: string } | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'OCPI-from-country-code': us.countryCode, 'OCPI-from-party-id': us.partyId };
  if (to) Object.assign(headers, { 'OCPI-to-country-code': to.country_code, 'OCPI-to-party-id': to.party_id });
  return headers;
}
