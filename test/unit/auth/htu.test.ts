import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeHtu } from '../../../src/auth/htu.js';

test('rfc9449:htu RFC 3986 §6.2.2 and §6.2.3 normalization makes equivalent URLs equal (RFC 9449 §4.3 item 9)', () => {
  const same = [
    ['HTTPS://RS.Example/mcp', 'https://rs.example/mcp'],
    ['https://rs.example:443/mcp', 'https://rs.example/mcp'],
    ['http://rs.example:80/mcp', 'http://rs.example/mcp'],
    ['https://rs.example/a/../mcp', 'https://rs.example/mcp'],
    ['https://rs.example/./mcp', 'https://rs.example/mcp'],
    ['https://rs.example/%6Dcp', 'https://rs.example/mcp'],
    ['https://rs.example/%7Emcp', 'https://rs.example/~mcp'],
    ['https://rs.example/m%2fcp', 'https://rs.example/m%2Fcp'],
    ['https://rs.example', 'https://rs.example/'],
    ['https://rs.example:/mcp', 'https://rs.example/mcp'],
  ];
  for (const [a = '', b = ''] of same) assert.equal(normalizeHtu(a), normalizeHtu(b), `${a} = ${b}`);
});

test('rfc9449:htu URLs that differ in host, port, scheme or path stay different', () => {
  const base = normalizeHtu('https://rs.example/mcp');
  for (const other of [
    'https://rs.example:8443/mcp',
    'http://rs.example/mcp',
    'https://evil.example/mcp',
    'https://rs.example/mcp/',
    'https://rs.example/MCP',
    'https://rs.example/m%2Fcp',
  ]) {
    assert.notEqual(normalizeHtu(other), base, other);
  }
});

test('rfc9449:htu a query, fragment, userinfo or non-http scheme makes no htu (RFC 9449 §4.2)', () => {
  for (const bad of [
    'https://rs.example/mcp?x=1',
    'https://rs.example/mcp?',
    'https://rs.example/mcp#f',
    'https://user@rs.example/mcp',
    'https://user:pw@rs.example/mcp',
    'ftp://rs.example/mcp',
    'mcp',
    '',
  ]) {
    assert.equal(normalizeHtu(bad), undefined, bad);
  }
});
