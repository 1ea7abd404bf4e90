import { randomUUID } from 'node:crypto';
import type { TSchema, Static } from '@sinclair/typebox';
import { HttpTransportError, sendHttp, type HttpRequest } from '../platform/http-client';
import { currentContext } from '../platform/request-context';
import { isOcpiSuccess } from './status-codes';
import { problemsWith } from './validate';

export type PartnerFailure = 'unreachable' | 'http-error' | 'not-ocpi' | 'ocpi-error' | 'invalid-data';

/** A call to a partner that did not give us what we asked for; `kind` says how it failed. */
export class PartnerCallError extends Error {
  constructor(
    readonly kind: PartnerFailure,
    message: string,
    readonly httpStatus?: number,
    readonly ocpiStatus?: number,
  ) {
    super(message);
    this.name = 'PartnerCallError';
  }
}

export interface PartnerCall {
  method: HttpRequest['method'];
  url: string;
  /** The token the partner gave us; sent as `Token base64(token)`. */
  token: string;
  body?: unknown;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface PartnerAnswer<T> {
  data: T;
  status: number;
  headers: Headers;
}

export function authorizationHeader(token: string): string {
  return `Token ${Buffer.from(token, 'utf8').toString('base64')}`;
}

/**
 * One OCPI request to a partner: auth, request and correlation ids, then the envelope is read and
 * `data` checked against `schema`. Any 2xx with a 1xxx status_code is success (digest §4).
 */
export async function callPartner<T extends TSchema>(call: PartnerCall, schema: T): Promise<PartnerAnswer<Static<T>>> {
  const headers = {
    Authorization: authorizationHeader(call.token),
    'X-Request-ID': randomUUID(),
    'X-Correlation-ID': currentContext()?.correlationId ?? randomUUID(),
    ...call.headers,
  };
  let response;
  try {
    response = await sendHttp({ method: call.method, url: call.url, headers, body: call.body, timeoutMs: call.timeoutMs });
  } catch (error) {
    if (error instanceof HttpTransportError) throw new PartnerCallError('unreachable', error.message);
    throw error;
  }
  const where = `${call.method} ${call.url}`;
  let parsed: unknown;
  try {
    parsed = response.text === '' ? undefined : JSON.parse(response.text);
  } catch {
    parsed = undefined;
  }
  const envelope = parsed as { status_code?: unknown; status_message?: unknown; data?: unknown } | undefined;
  if (response.status < 200 || response.status >= 300) {
    const ocpi = typeof envelope?.status_code === 'number' ? envelope.status_code : undefined;
    throw new PartnerCallError('http-error', `${where} answered HTTP ${response.status}`, response.status, ocpi);
  }
  if (!envelope || typeof envelope !== 'object' || typeof envelope.status_code !== 'number') {
    throw new PartnerCallError('not-ocpi', `${where} did not answer with an OCPI response`, response.status);
  }
  if (!isOcpiSuccess(envelope.status_code)) {
    const message = typeof envelope.status_message === 'string' ? `: ${envelope.status_message.slice(0, 200)}` : '';
    throw new PartnerCallError('ocpi-error', `${where} answered status_code ${envelope.status_code}${message}`, response.status, envelope.status_code);
  }
  const problems = problemsWith(schema, envelope.data);
  if (problems.length > 0) {
    throw new PartnerCallError('invalid-data', `${where} answered invalid data: ${problems.slice(0, 5).join('; ')}`, response.status);
  }
  return { data: envelope.data as Static<T>, status: response.status, headers: response.headers };
}
