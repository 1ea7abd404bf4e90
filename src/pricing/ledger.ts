import type { PriceComponent } from '../modules/tariffs/tariffs.schema';
import { Decimal, ZERO } from './decimal';
import type { Amount } from './money';

const HUNDRED = new Decimal(100);

/** What one dimension billed, per price component: volumes in the dimension's unit (kWh, hours, 1 for a flat fee). */
export class DimensionLedger {
  private readonly volumes = new Map<PriceComponent, Decimal>();
  /** The last component that priced a non-zero volume: the one whose step_size rounds the total. */
  last: PriceComponent | undefined;
  /** Sum of the volumes priced so far, before any step_size. */
  priced: Decimal = ZERO;

  add(component: PriceComponent, volume: Decimal): void {
    if (volume.isZero()) return;
    this.volumes.set(component, (this.volumes.get(component) ?? ZERO).plus(volume));
    this.priced = this.priced.plus(volume);
    this.last = component;
  }

  /** The step_size rounding: extra volume billed at the last component's price. */
  addToLast(volume: Decimal): void {
    if (this.last === undefined || !volume.gt(0)) return;
    this.volumes.set(this.last, this.volumes.get(this.last)!.plus(volume));
  }

  get applied(): boolean {
    return this.volumes.size > 0;
  }

  /** Volume × price per component, and × (1 + vat/100) when every component gives a VAT. */
  cost(): Amount {
    let exclVat = ZERO;
    let inclVat: Decimal | undefined = ZERO;
    for (const [component, volume] of this.volumes) {
      const excl = volume.times(component.price);
      exclVat = exclVat.plus(excl);
      inclVat = inclVat !== undefined && component.vat !== undefined ? inclVat.plus(excl.times(HUNDRED.plus(component.vat)).div(HUNDRED)) : undefined;
    }
    return inclVat === undefined ? { exclVat } : { exclVat, inclVat };
  }
}
