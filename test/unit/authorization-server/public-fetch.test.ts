import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, test } from 'node:test';
import { isPublicAddress } from '../../../src/authorization-server/public-address.js';
import { createPublicFetch } from '../../../src/authorization-server/public-fetch.js';
import { useConnectionCounter } from '../../support/connection-counter.js';

const target = useConnectionCounter();

const resolvingTo =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('as:cimd-resolved-address the fetch of a client-named URL', () => {
  test('a public-looking name that resolves to loopback is refused before any connection', async () => {
    const before = target.connections;
    const fetchPublic = createPublicFetch({ resolve: resolvingTo('127.0.0.1') });
    await assert.rejects(
      fetchPublic(`https://innocent.example:${target.port}/client.json`),
      /public addresses only/,
    );
    assert.equal(target.connections, before, 'nothing connected to the loopback listener');
  });

  test('a name with one private address among public ones is refused', async () => {
    const fetchPublic = createPublicFetch({ resolve: resolvingTo('93.184.215.14', '169.254.169.254') });
    await assert.rejects(fetchPublic('https://mixed.example/client.json'), /public addresses only/);
  });

  test('literal special addresses are refused without a lookup, in every spelling', async () => {
    const fetchPublic = createPublicFetch({
      resolve: () => Promise.reject(new Error('no lookup expected')),
    });
    for (const host of [
      '127.0.0.1',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '169.254.169.254',
      '10.0.0.1',
      '[fe80::1]',
    ]) {
      await assert.rejects(fetchPublic(`https://${host}:${target.port}/c`), /public addresses only/, host);
    }
  });

  test('plain http is refused', async () => {
    await assert.rejects(createPublicFetch()(`http://example.com/c`), /only https/);
  });

  test('the connection goes to the address that was checked, not to a second lookup (DNS rebinding)', async () => {
    const before = target.connections;
    let lookups = 0;
    // A name the system cannot resolve: reaching the listener proves the checked address was used.
    const fetchPinned = createPublicFetch({
      resolve: async () => {
        lookups += 1;
        return [{ address: '127.0.0.1', family: 4 }];
      },
      isAllowedAddress: (address) => address === '127.0.0.1',
    });
    await assert.rejects(fetchPinned(`https://rebind.invalid:${target.port}/client.json`));
    assert.equal(lookups, 1);
    assert.equal(target.connections, before + 1, 'one connection, to the pinned address');
  });

  test('the address check knows the special ranges', () => {
    for (const address of ['8.8.8.8', '93.184.215.14', '2606:4700::1111'])
      assert.equal(isPublicAddress(address), true, address);
    for (const address of [
      '127.0.0.1',
      '0.0.0.0',
      '10.1.2.3',
      '100.64.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '192.168.1.1',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      'fc00::1',
      'fe80::1',
      'ff02::1',
      'localhost',
    ]) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });
});
