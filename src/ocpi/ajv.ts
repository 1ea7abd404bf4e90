import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';

/** The one ajv instance: strict, all errors, no coercion (request bodies are never type-coerced). */
export const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: false, useDefaults: false });
addFormats(ajv, ['uri']);

/** An OCPI DateTime's fields name a real instant: no 30 February, 24:00 or 61st minute (the pattern checks only the digits). */
export function isCalendarDateTime(value: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})/.exec(value);
  if (!match) return true; // not laid out as a DateTime at all: the pattern says so, once
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}
ajv.addFormat('ocpi-date-time', { type: 'string', validate: isCalendarDateTime });

const compiled = new WeakMap<TSchema, ValidateFunction>();

export function compile<T extends TSchema>(schema: T): ValidateFunction<Static<T>> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate as ValidateFunction<Static<T>>;
}

/** "/roles/0/party_id must match pattern ..." for each failure, naming the failing field. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const field = error.instancePath || '/';
    if (error.keyword === 'required') return `${field === '/' ? '' : field}/${String(error.params.missingProperty)} is required`;
    if (error.keyword === 'additionalProperties') {
      return `${field === '/' ? '' : field}/${String(error.params.additionalProperty)} is not allowed`;
    }
    return `${field} ${error.message ?? 'is invalid'}`;
  });
}
