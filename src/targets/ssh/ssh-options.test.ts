import { describe, expect, it } from 'vitest';
import { formatAddress, parseSshUrl } from './ssh-options.js';

describe('parseSshUrl', () => {
  it.each([
    ['ssh://alice@host.example:2222', { user: 'alice', host: 'host.example', port: 2222 }],
    ['ssh://host.example', { user: 'me', host: 'host.example', port: 22 }],
    ['ssh://bob@[::1]:22', { user: 'bob', host: '::1', port: 22 }],
    ['ssh://svc%40corp@10.0.0.1/', { user: 'svc@corp', host: '10.0.0.1', port: 22 }],
  ])('%s', (url, address) => {
    expect(parseSshUrl(url, 'me')).toEqual(address);
  });

  it.each([
    ['host.example', /not a URL/],
    ['http://host', /unsupported scheme http:/],
    ['ssh://u:secret@host', /passwords in the URL/],
    ['ssh://host/etc', /unexpected path/],
    ['ssh://host?x=1', /unexpected path/],
  ])('refuses %s', (url, message) => {
    expect(() => parseSshUrl(url, 'me')).toThrow(message);
  });

  it('formats user@host:port, bracketing IPv6', () => {
    expect(formatAddress({ user: 'u', host: '::1', port: 22 })).toBe('u@[::1]:22');
    expect(formatAddress({ user: 'u', host: 'h', port: 2 })).toBe('u@h:2');
  });
});
