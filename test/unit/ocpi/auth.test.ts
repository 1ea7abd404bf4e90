import { candidateSecrets } from '../../../src/ocpi/auth';

describe('candidateSecrets', () => {
  it('when the header is Token <base64>, then the decoded token comes first and the raw value second', () => {
    expect(candidateSecrets('Token ZXhhbXBsZS10b2tlbg==')).toEqual(['example-token', 'ZXhhbXBsZS10b2tlbg==']);
  });

  it('when the header carries a raw token that is not Base64, then only the raw token is tried', () => {
    expect(candidateSecrets('Token abc-def_ghi!')).toEqual(['abc-def_ghi!']);
  });

  it('when the scheme is Bearer or lower case, then it is accepted', () => {
    expect(candidateSecrets('Bearer admin-secret')).toEqual(['admin-secret']);
    expect(candidateSecrets('token ZXhhbXBsZS10b2tlbg==')?.[0]).toBe('example-token');
  });

  it('when Base64 decodes to non-printable bytes, then the decoded form is not tried', () => {
    expect(candidateSecrets(`Token ${Buffer.from([0, 1, 2, 200]).toString('base64')}`)).toHaveLength(1);
  });

  it('when the scheme is unknown or the token is missing, then there is nothing to try', () => {
    expect(candidateSecrets('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(candidateSecrets('Token')).toBeUndefined();
    expect(candidateSecrets('Token a b')).toBeUndefined();
  });
});
