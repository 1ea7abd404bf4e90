import { OcpiStatus, type OcpiStatusCode } from './status-codes';

/** The one way to fail a request: carries the HTTP status and the OCPI status_code of the answer. */
export class OcpiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly statusCode: OcpiStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OcpiError';
  }

  static badRequest(message: string): OcpiError {
    return new OcpiError(400, OcpiStatus.INVALID_PARAMETERS, message);
  }

  static unauthorized(message = 'Missing or unknown credentials token'): OcpiError {
    return new OcpiError(401, OcpiStatus.CLIENT_ERROR, message, { 'WWW-Authenticate': 'Token' });
  }

  static notFound(message: string, statusCode: OcpiStatusCode = OcpiStatus.CLIENT_ERROR): OcpiError {
    return new OcpiError(404, statusCode, message);
  }

  static methodNotAllowed(message: string, allowed?: string[]): OcpiError {
    return new OcpiError(405, OcpiStatus.CLIENT_ERROR, message, allowed ? { Allow: allowed.join(', ') } : {});
  }
}
