import { Router } from 'express';
import type { Caller, CallerRole, PartnerRole } from '../../../src/ocpi/auth';
import { endpointsFor, type OcpiModule } from '../../../src/ocpi/module-registry';
import type { ModuleId } from '../../../src/ocpi/types';

const BASE = 'https://cpo.example.com/ocpi/2.2.1';

function module(identifier: ModuleId, visibleTo: CallerRole[], openData = false): OcpiModule {
  return { identifier, role: 'SENDER', path: identifier, router: Router(), visibleTo, openData };
}

const MODULES = [
  module('credentials', ['EMSP', 'NSP', 'HUB', 'REGISTRATION']),
  module('locations', ['EMSP', 'NSP', 'HUB'], true),
  module('tokens', ['HUB']),
];

const registration = (prospectiveRole?: PartnerRole): Caller => ({ kind: 'token', tokenId: 't', role: 'REGISTRATION', partnerId: 'p', secret: 's', prospectiveRole });
const partner = (role: PartnerRole): Caller => ({ kind: 'token', tokenId: 't', role, partnerId: 'p', secret: 's' });
const listed = (caller: Caller) => endpointsFor(MODULES, caller, BASE, true).map((e) => e.identifier);

describe('endpointsFor', () => {
  it('when a registration token will hold NSP, then it lists what REGISTRATION and NSP see, and not what only HUB sees', () => {
    expect(listed(registration('NSP'))).toEqual(['credentials', 'locations']);
    expect(listed(registration('NSP'))).toEqual(listed(partner('NSP')));
  });

  it('when a registration token will hold HUB, then it lists the hub-only module too', () => {
    expect(listed(registration('HUB'))).toEqual(['credentials', 'locations', 'tokens']);
  });

  it('when a registration token has no prospective role, then it lists only what REGISTRATION sees', () => {
    expect(listed(registration())).toEqual(['credentials']);
  });

  it('when the caller is anonymous, then it lists only the open-data modules', () => {
    expect(listed({ kind: 'anonymous' })).toEqual(['locations']);
  });
});
