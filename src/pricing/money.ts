import type { Price } from '../modules/tariffs/tariffs.schema';
import { Decimal } from './decimal';

/** An amount before rounding; `inclVat` is absent when some component it sums has no VAT. */
export interface Amount {
  exclVat: Decimal;
  inclVat?: Decimal;
}

const digitsByCurrency = new Map<string, number>();

/** The currency's minor unit (ISO 4217 via ICU): 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function sumAmounts(amounts: readonly Amount[]): Amount {
  let exclVat = new Decimal(0);
  let inclVat: Decimal | undefined = new Decimal(0);
  for (const amount of amounts) {
    exclVat = exclVat.plus(amount.exclVat);
    inclVat = inclVat !== undefined && amount.inclVat !== undefined ? inclVat.plus(amount.inclVat) : undefined;
  }
  return inclVat === undefined ? { exclVat } : { exclVat, inclVat };
}

/** `min_price`/`max_price` bound the total separately excluding and including VAT; a side the bound does not give stays. */
export function limitTotal(total: Amount, min: Price | undefined, max: Price | undefined): Amount {
  let { exclVat, inclVat } = total;
  if (min !== undefined) {
    exclVat = Decimal.max(exclVat, min.excl_vat);
    if (inclVat !== undefined && min.incl_vat !== undefined) inclVat = Decimal.max(inclVat, min.incl_vat);
  }
  if (max !== undefined) {
    exclVat = Decimal.min(exclVat, max.excl_vat);
    if (inclVat !== undefined && max.incl_vat !== undefined) inclVat = Decimal.min(inclVat, max.incl_vat);
  }
  return inclVat === undefined ? { exclVat } : { exclVat, inclVat };
}

/** Half up (away from zero at .5) to the currency's minor unit, only here, at the very end. */
export function toPrice(amount: Amount, digits: number): Price {
  const round = (value: Decimal) => value.toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toNumber();
  return amount.inclVat === undefined ? { excl_vat: round(amount.exclVat) } : { excl_vat: round(amount.exclVat), incl_vat: round(amount.inclVat) };
}
