import { PartnerCallError } from '../../../src/ocpi/outbound';
import { backoffMs, isTransient, isTransportFailure } from '../../../src/push/delivery-errors';

/** Which failures of a push are worth retrying, and how long to wait before the next attempt. */

const http = (status: number, ocpi?: number) => new PartnerCallError('http-error', `PUT x answered HTTP ${status}`, status, ocpi);
const ocpi = (code: number) => new PartnerCallError('ocpi-error', `PUT x answered status_code ${code}`, 200, code);

describe('isTransient', () => {
  it.each([
    ['the partner is unreachable (refused, reset, timed out)', new PartnerCallError('unreachable', 'cannot reach 127.0.0.1:9: ECONNREFUSED')],
    ['the partner answered something that is not OCPI', new PartnerCallError('not-ocpi', 'PUT x did not answer with an OCPI response', 200)],
    ['HTTP 500', http(500)],
    ['HTTP 502', http(502)],
    ['HTTP 503 with an OCPI 3000 body', http(503, 3000)],
    ['HTTP 504', http(504)],
    ['HTTP 408 Request Timeout', http(408)],
    ['HTTP 429 Too Many Requests', http(429)],
    ['OCPI 3000 (generic server error) on HTTP 200', ocpi(3000)],
    ['OCPI 3001 (unable to use the client API)', ocpi(3001)],
    ['OCPI 3002 (unsupported version)', ocpi(3002)],
    ['OCPI 4001 (hub: unknown receiver)', ocpi(4001)],
    ['OCPI 4002 (hub: timeout on forwarded request)', ocpi(4002)],
    ['an error that is not a partner call error (a bug of ours)', new Error('boom')],
    ['a thrown non-error', 'boom'],
  ])('when %s, then it is retried', (_label, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['HTTP 400', http(400, 2001)],
    ['HTTP 401', http(401, 2000)],
    ['HTTP 403', http(403)],
    ['HTTP 404', http(404, 2003)],
    ['HTTP 405', http(405)],
    ['HTTP 409', http(409)],
    ['HTTP 413', http(413)],
    ['HTTP 422', http(422)],
    ['OCPI 2000 (generic client error) on HTTP 200', ocpi(2000)],
    ['OCPI 2001 (invalid or missing parameters) on HTTP 200', ocpi(2001)],
    ['OCPI 2002 (not enough information)', ocpi(2002)],
    ['OCPI 2003 (unknown location)', ocpi(2003)],
    ['an answer with invalid data', new PartnerCallError('invalid-data', 'PUT x answered invalid data', 200)],
  ])('when %s, then it is permanent', (_label, error) => {
    expect(isTransient(error)).toBe(false);
  });
});

describe('isTransportFailure (what counts towards a partner being unreachable)', () => {
  it.each([
    ['the connection was refused', new PartnerCallError('unreachable', 'cannot reach 127.0.0.1:9: ECONNREFUSED')],
    ['the connection was reset', new PartnerCallError('unreachable', 'cannot reach 127.0.0.1:9: ECONNRESET')],
    ['the name did not resolve', new PartnerCallError('unreachable', 'cannot reach emsp.invalid: ENOTFOUND')],
    ['no answer came in time', new PartnerCallError('unreachable', 'no answer from 127.0.0.1:9 within 300 ms')],
  ])('when %s, then it counts', (_label, error) => {
    expect(isTransportFailure(error)).toBe(true);
  });

  it.each([
    ['HTTP 500', http(500)],
    ['HTTP 503 with an OCPI 3000 body', http(503, 3000)],
    ['HTTP 404', http(404, 2003)],
    ['an answer that is not OCPI', new PartnerCallError('not-ocpi', 'PUT x did not answer with an OCPI response', 200)],
    ['OCPI 3000 on HTTP 200', ocpi(3000)],
    ['an error of ours', new Error('boom')],
  ])('when the partner answered %s (or the error is ours), then it does not count: the partner is reachable', (_label, error) => {
    expect(isTransportFailure(error)).toBe(false);
  });
});

describe('backoffMs', () => {
  const low = () => 0;
  const high = () => 0.999999;

  it('when it is the first retry, then it waits between half the base and the base', () => {
    expect(backoffMs(1, 1000, 300000, low)).toBe(500);
    expect(backoffMs(1, 1000, 300000, high)).toBe(1000);
  });

  it('when attempts grow, then the step doubles each time', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, 1000, 300000, high))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, 1000, 300000, low))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('when the step would pass the maximum, then it is capped at the maximum (half of it fixed)', () => {
    expect(backoffMs(10, 1000, 5000, high)).toBe(5000);
    expect(backoffMs(10, 1000, 5000, low)).toBe(2500);
    expect(backoffMs(5000, 1000, 5000, high)).toBe(5000);
    expect(backoffMs(Number.MAX_SAFE_INTEGER, 50, 200, low)).toBe(100);
  });

  it('when the attempt number is zero or negative, then it behaves like the first retry', () => {
    expect(backoffMs(0, 1000, 300000, high)).toBe(1000);
    expect(backoffMs(-3, 1000, 300000, low)).toBe(500);
  });

  it('when no random source is given, then the delay is jittered within [step/2, step] and an integer', () => {
    const delays = Array.from({ length: 500 }, () => backoffMs(3, 100, 10000));
    for (const delay of delays) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
    expect(new Set(delays).size).toBeGreaterThan(10);
  });

  it('when the test settings are used (base 50, max 200), then every delay stays within 25..200 ms', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      expect(backoffMs(attempt, 50, 200, low)).toBeGreaterThanOrEqual(25);
      expect(backoffMs(attempt, 50, 200, high)).toBeLessThanOrEqual(200);
    }
  });
});
