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

export function endpointsFor(
  modules: readonly OcpiModule[],
  caller: Caller,
  versionBaseUrl: string,
  openDataEnabled: boolean,
): Endpoint[] {
  return modules
    .filter((module) => isAllowed(caller, { roles: module.visibleTo, openData: module.openData }, openDataEnabled))
    .map((module) => ({ identifier: module.identifier, role: module.role, url: `${versionBaseUrl}/${module.path}` }));
}
