import { Type, type Static } from '@sinclair/typebox';
import { OcpiError } from '../../ocpi/ocpi-error';
import { DateTime } from '../../ocpi/types';
import { priceSession, PricingError, type PricedSession } from '../../pricing';
import { ChargingPeriod } from '../sessions/charging.schema';
import { tariffObject } from './tariffs.mapper';
import type { TariffsService } from './tariffs.service';

/** `POST /admin/tariffs/{id}/quote` (ARCHITECTURE §2): periods to price; local times are UTC unless `time_zone` names an IANA zone. */
export const QuoteRequest = Type.Object({
  start_date_time: DateTime,
  end_date_time: Type.Optional(DateTime),
  charging_periods: Type.Array(ChargingPeriod),
  time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
}, { additionalProperties: false });
export type QuoteRequest = Static<typeof QuoteRequest>;

/** A priced answer, or the pricing module's refusal of the input as 400 / 2001 naming what is wrong. */
export function priced(price: () => PricedSession): PricedSession {
  try {
    return price();
  } catch (error) {
    if (error instanceof PricingError) throw OcpiError.badRequest(`Invalid body: ${error.message}`);
    throw error;
  }
}

/** What the periods cost under a stored tariff: the operator's check of a tariff, and a driver's quote. */
export function createTariffQuote(tariffs: Pick<TariffsService, 'get'>) {
  return async (tariffId: string, request: QuoteRequest): Promise<PricedSession> => {
    const tariff = tariffObject(await tariffs.get(tariffId));
    return priced(() => priceSession({
      tariff,
      startDateTime: request.start_date_time,
      endDateTime: request.end_date_time,
      chargingPeriods: request.charging_periods,
      timeZone: request.time_zone ?? 'UTC',
    }));
  };
}

export type TariffQuote = ReturnType<typeof createTariffQuote>;
