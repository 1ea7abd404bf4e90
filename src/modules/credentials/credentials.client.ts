import { Type } from '@sinclair/typebox';
import { callPartner, PartnerCallError } from '../../ocpi/outbound';
import { OcpiError } from '../../ocpi/ocpi-error';
import { OcpiStatus } from '../../ocpi/status-codes';
import { OCPI_VERSION, VersionDetails, VersionList, type Endpoint } from '../versions/versions.schema';
import { Credentials } from './credentials.schema';

export interface Discovery {
  ocpiVersion: string;
  endpoints: Endpoint[];
}

/** Whatever a DELETE answers with; one schema object, so its validator is compiled once. */
const ANY_DATA = Type.Unknown();

/** Modules we cannot work with a partner without. */
const REQUIRED_MODULES = ['credentials'];

/**
 * Reads a partner's versions and its 2.2.1 version details with `token`. Failures become the OCPI
 * answers of digest §2.2: 3001 (cannot use its API), 3002 (no 2.2.1), 3003 (no credentials endpoint).
 */
export async function discoverPartner(versionsUrl: string, token: string, timeoutMs: number, httpStatus: number): Promise<Discovery> {
  const fail = (status: (typeof OcpiStatus)[keyof typeof OcpiStatus], message: string) => new OcpiError(httpStatus, status, message);
  try {
    const versions = await callPartner({ method: 'GET', url: versionsUrl, token, timeoutMs }, VersionList);
    const version = versions.data.find((v) => v.version === OCPI_VERSION);
    if (!version) {
      const offered = versions.data.map((v) => v.version).join(', ') || 'none';
      throw fail(OcpiStatus.UNSUPPORTED_VERSION, `Partner offers no OCPI ${OCPI_VERSION} (offers: ${offered})`);
    }
    const details = await callPartner({ method: 'GET', url: version.url, token, timeoutMs }, VersionDetails);
    if (details.data.version !== OCPI_VERSION) {
      throw fail(OcpiStatus.UNSUPPORTED_VERSION, `Version details at ${version.url} are for ${details.data.version}`);
    }
    const missing = REQUIRED_MODULES.filter((id) => !details.data.endpoints.some((e) => e.identifier === id));
    if (missing.length > 0) throw fail(OcpiStatus.NO_MATCHING_ENDPOINTS, `Partner lists no ${missing.join(', ')} endpoint`);
    return { ocpiVersion: OCPI_VERSION, endpoints: details.data.endpoints };
  } catch (error) {
    if (error instanceof PartnerCallError) throw fail(OcpiStatus.UNABLE_TO_USE_CLIENT_API, `Cannot use the partner's API: ${error.message}`);
    throw error;
  }
}

export function credentialsUrl(endpoints: Endpoint[]): string | undefined {
  return endpoints.find((e) => e.identifier === 'credentials')?.url;
}

/** POST (register) or PUT (update) our credentials at the partner; answers the partner's credentials. */
export async function sendCredentials(method: 'POST' | 'PUT', url: string, token: string, ours: Credentials, timeoutMs: number) {
  const answer = await callPartner({ method, url, token, body: ours, timeoutMs }, Credentials);
  return answer.data;
}

export async function deleteCredentials(url: string, token: string, timeoutMs: number): Promise<void> {
  await callPartner({ method: 'DELETE', url, token, timeoutMs }, ANY_DATA);
}
