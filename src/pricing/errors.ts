/** Input the caller should answer with 400: an unknown time zone, periods out of order, an end before the start. */
export class PricingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingError';
  }
}
