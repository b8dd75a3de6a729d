import { describe, expect, it } from 'vitest';
import { hostForHeader, isAllowedHost, parseHostEntry, type HostEntry } from './allowed-hosts';

const entries = (...texts: string[]): HostEntry[] => texts.map((text) => parseHostEntry(text)!);

describe('ALLOWED_HOSTS entries', () => {
  it.each([
    ['localhost', { hostname: 'localhost' }],
    ['Console.Example.com:8443', { hostname: 'console.example.com', port: 8443 }],
    ['[::1]:8080', { hostname: '[::1]', port: 8080 }],
    ['[0:0:0:0:0:0:0:1]', { hostname: '[::1]' }],
    ['127.0.0.1:0', { hostname: '127.0.0.1', port: 0 }],
  ])('reads %s', (text, entry) => {
    expect(parseHostEntry(text)).toEqual(entry);
  });

  it.each(['::1', 'http://x', 'x:99999', '*.example.com', 'a b', '', 'x:', '-x', 'x/y', '[::g]'])('refuses %j', (text) => {
    expect(parseHostEntry(text)).toBeUndefined();
  });

  it('writes IPv6 HOST values in brackets', () => {
    expect(hostForHeader('::1')).toBe('[::1]');
    expect(hostForHeader('MyHost')).toBe('myhost');
  });
});

describe('a Host header against the list', () => {
  const list = entries('console.example.com', 'localhost:0', '127.0.0.1:8080', '[::1]:8080');
  it.each([
    ['console.example.com', true],
    ['CONSOLE.example.com:443', true],
    ['localhost:5000', true], // port 0: the port the request arrived on (5000 here)
    ['localhost:5001', false],
    ['localhost', false],
    ['127.0.0.1:8080', true],
    ['127.0.0.1:80', false],
    ['[::1]:8080', true],
    ['[0::1]:8080', true],
    ['evil.example', false],
    ['console.example.com.evil.example', false],
    ['console.example.com.', false],
    ['user@console.example.com', false],
    ['console.example.com:443:443', false],
    ['console.example.com/x', false],
    ['', false],
  ])('%j → %s', (header, allowed) => {
    expect(isAllowedHost(list, header, 5000)).toBe(allowed);
  });
});
