import type { Router } from 'express';
import type { CallerRole } from './auth';
import { isAllowed, type Caller } from './auth';
import type { InterfaceRole, ModuleId } from './types';

/** An OCPI module as mounted under the version base path; version details are built from these. */
export interface OcpiModule {
  identifier: ModuleId;
  role: InterfaceRole;
  /** Path below the version base, e.g. `locations` or `emsp/tokens`. */
  path: string;
  router: Router;
  /** Callers that see this endpoint in version details (the routes enforce their own policies). */
  visibleTo: readonly CallerRole[];
  /** Listed to anonymous callers when the open-data feed is on. */
  openData?: boolean;
}

export interface Endpoint {
  identifier: ModuleId;
  role: InterfaceRole;
  url: string;
}

/**
 * Whether `caller` sees `module` in version details. A registration token (token A) also sees what the
 * role it will hold may use: the registering party stores the endpoints it discovers with token A and
 * must refuse to register when one it requires is missing (digest §2.3 step 3). Routes still admit it
 * only where their own policy names REGISTRATION.
 */
function sees(caller: Caller, module: OcpiModule, openDataEnabled: boolean): boolean {
  if (isAllowed(caller, { roles: module.visibleTo, openData: module.openData }, openDataEnabled)) return true;
  return caller.kind === 'token' && caller.role === 'REGISTRATION' && caller.prospectiveRole !== undefined && module.visibleTo.includes(caller.prospectiveRole);
}

export function endpointsFor(
  modules: readonly OcpiModule[],
  caller: Caller,
  versionBaseUrl: string,
  openDataEnabled: boolean,
): Endpoint[] {
  return modules
    .filter((module) => sees(caller, module, openDataEnabled))
    .map((module) => ({ identifier: module.identifier, role: module.role, url: `${versionBaseUrl}/${module.path}` }));
}
