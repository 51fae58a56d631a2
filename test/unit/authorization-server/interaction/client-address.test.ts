import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { clientAddress } from '../../../../src/authorization-server/interaction/client-address.js';

const request = (forwardedFor: string | string[] | undefined, remoteAddress: string | undefined) =>
  ({
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress },
  }) as unknown as IncomingMessage;

test('without a proxy the socket address counts and X-Forwarded-For is ignored', () => {
  assert.equal(clientAddress(request('203.0.113.9', '192.0.2.1'), false), '192.0.2.1');
});

test('behind a proxy the address the proxy appended last counts, not those the client sent', () => {
  const forged = request('10.0.0.1, 198.51.100.7, 203.0.113.9', '192.0.2.1');
  assert.equal(clientAddress(forged, true), '203.0.113.9');
  assert.equal(clientAddress(request(' 203.0.113.9 ', '192.0.2.1'), true), '203.0.113.9');
});

test('behind a proxy without a usable X-Forwarded-For the socket address counts', () => {
  assert.equal(clientAddress(request(undefined, '192.0.2.1'), true), '192.0.2.1');
  assert.equal(clientAddress(request('', '192.0.2.1'), true), '192.0.2.1');
  assert.equal(clientAddress(request(['a', 'b'], '192.0.2.1'), true), '192.0.2.1');
});

test('a closed socket without an address is throttled as one shared key', () => {
  assert.equal(clientAddress(request(undefined, undefined), false), 'unknown');
});
