import { nextLink, tokensSenderUrl } from '../../../../src/modules/tokens/tokens.client';

describe('nextLink', () => {
  it('when the Link header names a next page, then its URL; otherwise undefined', () => {
    expect(nextLink('<https://emsp.example/ocpi/tokens?offset=2&limit=2>; rel="next"')).toBe('https://emsp.example/ocpi/tokens?offset=2&limit=2');
    expect(nextLink('<https://e.example/a>; rel=next')).toBe('https://e.example/a');
    expect(nextLink('<https://e.example/prev>; rel="prev", <https://e.example/next?a=1,2>; rel="next"')).toBe('https://e.example/next?a=1,2');
    expect(nextLink('<https://e.example/prev>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('garbage')).toBeUndefined();
  });
});

describe('tokensSenderUrl', () => {
  it('when the partner lists tokens as SENDER, then its URL without a trailing slash; as RECEIVER only, then undefined', () => {
    expect(tokensSenderUrl({ endpoints: [{ identifier: 'tokens', role: 'SENDER', url: 'https://e.example/tokens/' }] })).toBe('https://e.example/tokens');
    expect(tokensSenderUrl({ endpoints: [{ identifier: 'tokens', role: 'RECEIVER', url: 'https://e.example/tokens' }] })).toBeUndefined();
  });
});
