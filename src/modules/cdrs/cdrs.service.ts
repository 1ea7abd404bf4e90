import { OcpiError } from '../../ocpi/ocpi-error';
import { ourOwnerFields } from '../../ocpi/our-party';
import type { Page, PageRequest } from '../../ocpi/pagination';
import type { Party } from '../../ocpi/routing-headers';
import { OcpiStatus } from '../../ocpi/status-codes';
import { isPossibleId } from '../../ocpi/types';
import type { OwnersOf } from '../sessions/session-owners';
import { cdrData, cdrKey } from './cdrs.mapper';
import {
  AlreadyCreditedError, DuplicateCdrError, UnknownCreditReferenceError,
  type CdrDeliveryView, type CdrJson, type CdrRecord, type CdrsRepository, type CreditedCdr,
} from './cdrs.repository';
import { cdrRuleViolations } from './cdrs.rules';
import type { CdrInput } from './cdrs.schema';

/** Who lists: the operator sees every CDR; a partner only those whose token belongs to one of its roles. */
export type CdrAudience = { kind: 'operator' } | { kind: 'partner'; partnerId: string | undefined };

const invalid = (problems: string[]) => OcpiError.badRequest(`Invalid body: ${problems.join('; ')}`);

export function unknownCdr(id: string): OcpiError {
  return OcpiError.notFound(`Unknown CDR ${id}`, OcpiStatus.CLIENT_ERROR);
}

/**
 * The stored state a credit needs: the credited CDR exists, is not itself a credit, belongs to the same
 * token party (the credit goes to whoever paid), and has not been credited yet (409).
 */
function checkCredit(body: CdrInput) {
  return (credited: CreditedCdr | undefined): void => {
    const reference = body.credit_reference_id!;
    if (!credited) throw invalid([`/credit_reference_id names no stored CDR (${reference})`]);
    if (credited.creditReferenceKey !== null) throw invalid([`/credit_reference_id names ${credited.id}, itself a credit CDR`]);
    const sameOwner = credited.tokenCountryCode === body.cdr_token.country_code.toUpperCase() && credited.tokenPartyId === body.cdr_token.party_id.toUpperCase();
    if (!sameOwner) throw invalid([`/cdr_token must belong to the party of the credited CDR ${credited.id} (${credited.tokenCountryCode}/${credited.tokenPartyId})`]);
    if (credited.creditedById !== undefined) throw alreadyCredited(credited.id, credited.creditedById);
  };
}

function alreadyCredited(id: string, by?: string): OcpiError {
  return new OcpiError(409, OcpiStatus.CLIENT_ERROR, `CDR ${id} has already been credited${by ? ` by CDR ${by}` : ''}`);
}

/** CDRs for the OCPI sender interface and the admin API. */
export function createCdrsService(repository: CdrsRepository, ownersOf: OwnersOf, us: Party) {
  const ours = (body: { country_code?: string; party_id?: string }) => ourOwnerFields(body, us);

  async function get(id: string): Promise<CdrRecord> {
    const found = isPossibleId(id, 39) ? await repository.find(cdrKey(id)) : undefined;
    if (!found) throw unknownCdr(id);
    return found;
  }

  return {
    get,

    /** To whom the CDR was delivered (with the Location each answered), or is still owed. */
    async deliveries(id: string): Promise<{ cdr: string; deliveries: CdrDeliveryView[] }> {
      const cdr = await get(id);
      return { cdr: cdr.id, deliveries: await repository.deliveriesOf(cdr.idKey) };
    },

    async list(audience: CdrAudience, request: PageRequest): Promise<Page<CdrJson>> {
      const owners = audience.kind === 'partner' ? await ownersOf(audience.partnerId) : undefined;
      return repository.list(
        { owners, dateFrom: request.dateFrom, dateTo: request.dateTo },
        { offset: request.offset, limit: request.limit, after: request.after },
      );
    },

    /** Stores a finished CDR; CDRs are immutable, so an id already stored is a conflict, never a replacement. */
    async create(body: CdrInput): Promise<CdrRecord> {
      ours(body);
      const problems = cdrRuleViolations(body);
      if (problems.length > 0) throw invalid(problems);
      const creditReferenceKey = body.credit === true ? cdrKey(body.credit_reference_id!) : null;
      const data = cdrData({ ...body, country_code: us.countryCode, party_id: us.partyId });
      const cdr = {
        id: body.id,
        idKey: cdrKey(body.id),
        countryCode: us.countryCode,
        partyId: us.partyId,
        tokenCountryCode: body.cdr_token.country_code.toUpperCase(),
        tokenPartyId: body.cdr_token.party_id.toUpperCase(),
        creditReferenceKey,
        data,
      };
      try {
        return await repository.create(cdr, checkCredit(body));
      } catch (error) {
        if (error instanceof DuplicateCdrError) throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `CDR ${body.id} already exists; CDRs are immutable: correct one with a credit CDR`);
        if (error instanceof AlreadyCreditedError) throw alreadyCredited(body.credit_reference_id!);
        if (error instanceof UnknownCreditReferenceError) throw invalid([`/credit_reference_id names no stored CDR (${body.credit_reference_id})`]);
        throw error;
      }
    },
  };
}

export type CdrsService = ReturnType<typeof createCdrsService>;
