import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';

let t: TestApp;
let id: string;

beforeAll(async () => {
  t = await createTestApp();
  const row = await t.database.db
    .insertInto('mailMessage')
    .values({
      to: 'personne@example.org',
      subject: 'Votre demande',
      text: 'Bonjour',
      html: null,
      status: 'outbox',
      attempts: 1,
      dedupeKey: 'test:outbox-route',
      createdAt: new Date('2026-11-23T10:00:00Z'),
      sentAt: new Date('2026-11-23T10:00:01Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  id = row.id;
});
afterAll(() => t?.close());

describe('GET /api/dev/outbox', () => {
  it('lists the queued mails, newest first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/dev/outbox' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ id, subject: 'Votre demande', status: 'outbox', sentAt: '2026-11-23T10:00:01.000Z' }),
    ]);
  });

  it('shows one mail with its content, and a problem for an unknown id', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/dev/outbox/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, text: 'Bonjour', html: null, lastError: null });
    const missing = await t.app.inject({ method: 'GET', url: '/api/dev/outbox/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toMatch(/outbox-mail-not-found$/);
  });
});

describe('in production', () => {
  it('is not mounted', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const res = await prod.app.inject({ method: 'GET', url: '/api/dev/outbox' });
      expect(res.statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
