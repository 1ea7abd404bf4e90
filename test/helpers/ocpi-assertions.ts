import { Type } from '@sinclair/typebox';
import type { Response } from 'supertest';
import { DateTime } from '../../src/ocpi/types';
import { problemsWith } from '../../src/ocpi/validate';
import type { TSchema } from '@sinclair/typebox';

const Envelope = Type.Object({
  data: Type.Optional(Type.Unknown()),
  status_code: Type.Integer({ minimum: 1000, maximum: 4999 }),
  status_message: Type.Optional(Type.String()),
  timestamp: DateTime,
});

/** Asserts the HTTP status, the OCPI envelope and its status_code; optionally checks `data` against a schema. */
export function expectOcpi(res: Response, httpStatus: number, statusCode: number, dataSchema?: TSchema): void {
  const summary = `${res.status} ${JSON.stringify(res.body)}`;
  expect({ status: res.status, summary }).toEqual({ status: httpStatus, summary: expect.any(String) });
  expect(problemsWith(Envelope, res.body)).toEqual([]);
  expect(res.body.status_code).toBe(statusCode);
  expect(res.headers['x-request-id']).toBeTruthy();
  expect(res.headers['x-correlation-id']).toBeTruthy();
  if (dataSchema) expect(problemsWith(dataSchema, res.body.data)).toEqual([]);
}
