import assert from 'node:assert/strict';
import { cachedLookups, cachedProfiles } from '../../src/clients/acceptance-cache';
import type { ClientProfile } from '../../src/shared/profile-schema';

const profileOf = (clientId: string): ClientProfile => ({
  clientId,
  name: clientId,
  timezone: 'UTC',
  windowClock: 'client',
  allowUrgentBypass: false,
  channels: {},
});

/** A database of keys and profiles that counts how often it is asked. */
function source() {
  const keys = new Map([
    ['key-a1', 'a'],
    ['key-a2', 'a'],
    ['key-b', 'b'],
  ]);
  const profiles = new Map([
    ['a', profileOf('a')],
    ['b', profileOf('b')],
  ]);
  const reads = { keys: 0, profiles: 0 };
  return {
    keys,
    profiles,
    reads,
    clientForApiKey: (key: string) => {
      reads.keys++;
      return Promise.resolve(keys.get(key));
    },
    findProfile: (clientId: string) => {
      reads.profiles++;
      return Promise.resolve(profiles.get(clientId));
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('acceptance cache (keys and profiles read once per TTL)', () => {
  it('answers repeats from memory until the TTL passes', async () => {
    const db = source();
    const lookups = cachedLookups(db, 50);
    for (let i = 0; i < 3; i++) {
      assert.equal(await lookups.clientForApiKey('key-a1'), 'a');
      assert.equal((await lookups.findProfile('a'))?.clientId, 'a');
    }
    assert.deepEqual(db.reads, { keys: 1, profiles: 1 });
    await pause(80);
    await lookups.clientForApiKey('key-a1');
    await lookups.findProfile('a');
    assert.deepEqual(db.reads, { keys: 2, profiles: 2 });
  });

  it('keeps no misses: a key or client that appears later works at once', async () => {
    const db = source();
    const lookups = cachedLookups(db, 60_000);
    assert.equal(await lookups.clientForApiKey('key-new'), undefined);
    assert.equal(await lookups.findProfile('new'), undefined);
    db.keys.set('key-new', 'new');
    db.profiles.set('new', profileOf('new'));
    assert.equal(await lookups.clientForApiKey('key-new'), 'new');
    assert.equal((await lookups.findProfile('new'))?.clientId, 'new');
  });

  it("forgetting a client drops its profile and every one of its keys, and nobody else's", async () => {
    const db = source();
    const lookups = cachedLookups(db, 60_000);
    for (const key of ['key-a1', 'key-a2', 'key-b']) await lookups.clientForApiKey(key);
    for (const client of ['a', 'b']) await lookups.findProfile(client);
    db.keys.delete('key-a1');
    db.profiles.set('a', { ...profileOf('a'), name: 'renamed' });

    lookups.forgetClient('a');
    assert.equal(await lookups.clientForApiKey('key-a1'), undefined, 'the revoked key is refused at once');
    assert.equal((await lookups.findProfile('a'))?.name, 'renamed');
    const before = { ...db.reads };
    assert.equal(await lookups.clientForApiKey('key-b'), 'b');
    assert.equal((await lookups.findProfile('b'))?.clientId, 'b');
    assert.deepEqual(db.reads, before, "b's entries stayed");
  });

  it('a TTL of 0 reads every time', async () => {
    const db = source();
    const lookups = cachedLookups(db, 0);
    const profiles = cachedProfiles(db.findProfile, 0);
    for (let i = 0; i < 2; i++) {
      await lookups.clientForApiKey('key-b');
      await lookups.findProfile('b');
      await profiles('b');
    }
    assert.deepEqual(db.reads, { keys: 2, profiles: 4 });
  });
});
