import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKeyService } from '../../src/server/auth/api-keys.ts';
import { createTestDatabase, fixedClock, type TestDatabase } from './db.ts';
import { fingerprint } from './fingerprint.ts';

/** The digest refused calls are checked with: what it must see, and what it must not. */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

it('an API key: its use leaves the digest alone, its EJ binding changes it', async () => {
  const keys = createApiKeyService({ db: t.db, clock: fixedClock('2026-11-23T10:00:00Z') });
  const { key, apiKey } = await keys.create({ name: 'SI RH', scopes: ['registrations:bulk'], ejFiness: '690800123' });
  const before = await fingerprint(t.db);
  expect(await keys.authenticate(key)).toMatchObject({ ejFiness: '690800123' });
  expect((await keys.list()).find((k) => k.id === apiKey.id)?.lastUsedAt).not.toBeNull();
  expect(await fingerprint(t.db)).toBe(before);
  await t.db.updateTable('apiKey').set({ ejFiness: null }).where('id', '=', apiKey.id).execute();
  expect(await fingerprint(t.db)).not.toBe(before);
});
