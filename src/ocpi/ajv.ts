import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';

/** The one ajv instance: strict, all errors, no coercion (request bodies are never type-coerced). */
export const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: false, useDefaults: false });
addFormats(ajv, ['uri']);

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
