import DecimalJs from 'decimal.js';

/** Exact decimal arithmetic for money and volumes: 40 significant digits, never binary floating point. */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);
export const MS_PER_HOUR = new Decimal(3_600_000);
