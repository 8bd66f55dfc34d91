import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../tests/support/db.ts';
import { buildApp } from '../app.ts';

/**
 * The built web app as the server hands it out (checked from outside, 5 December 2026): its
 * pages to GET and HEAD alike, its hashed chunks cached for good, and a file that does not exist
 * as a 404 — not the page with 200, which a browser would run as a script and a cache would keep.
 */
describe('serving the web app', () => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let webDir: string;
  const page = '<!doctype html><html lang="fr"><body><div id="root"></div></body></html>';

  beforeAll(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), page);
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'assets', 'index-AbC123.js'), 'export {};\n');
    fs.mkdirSync(path.join(webDir, 'dsfr', 'favicon'), { recursive: true });
    fs.writeFileSync(path.join(webDir, 'dsfr', 'favicon', 'favicon.ico'), 'ico');
    database = await createTestDatabase();
    app = await buildApp({ config: database.config, db: database.db, clock: fixedClock('2026-11-23T10:00:00Z') }, { webDir, logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('answers a page of the single-page app to GET and to HEAD (link checkers, monitoring)', async () => {
    for (const url of ['/', '/annuaire/10003333449', '/professionnels/enregistrer?brouillon=x']) {
      const get = await app.inject({ method: 'GET', url });
      expect(get.statusCode, url).toBe(200);
      expect(get.headers['content-type']).toMatch(/^text\/html/);
      expect(get.body).toBe(page);
      const head = await app.inject({ method: 'HEAD', url });
      expect(head.statusCode, `HEAD ${url}`).toBe(200);
      expect(head.headers['content-type']).toMatch(/^text\/html/);
      expect(head.body).toBe('');
    }
  });

  it('answers a missing file with a 404 problem, never the page', async () => {
    for (const url of ['/assets/Ancien-Xyz789.js', '/assets/', '/dsfr/absent.css', '/robots.txt', '/.env', '/package.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.json().type).toBe('urn:rpps-plus:problem:not-found');
    }
  });

  it('answers /favicon.ico, which browsers ask for on their own, with the DSFR icon', async () => {
    const res = await app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('ico');
  });

  it('lets browsers keep the hashed chunks for good, and asks again for the page', async () => {
    const chunk = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(chunk.statusCode).toBe(200);
    expect(chunk.headers['content-type']).toMatch(/javascript/);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.headers['cache-control'] ?? '').not.toMatch(/immutable/);
  });
});
