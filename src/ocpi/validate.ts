import type { Static, TSchema } from '@sinclair/typebox';
import { compile, describeErrors } from './ajv';
import { OcpiError } from './ocpi-error';

/** Checks `value` against `schema`; a violation is a 400 / 2001 naming every failing field. */
export function validate<T extends TSchema>(schema: T, value: unknown, what = 'body'): Static<T> {
  const check = compile(schema);
  if (check(value)) return value;
  const problems = [...new Set(describeErrors(check.errors))];
  throw OcpiError.badRequest(`Invalid ${what}: ${problems.join('; ')}`);
}

/** Non-throwing variant for data we receive from partners. */
export function conforms<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return compile(schema)(value);
}

export function problemsWith<T extends TSchema>(schema: T, value: unknown): string[] {
  const check = compile(schema);
  return check(value) ? [] : describeErrors(check.errors);
}
