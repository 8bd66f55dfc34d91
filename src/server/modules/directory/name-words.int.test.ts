import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { countUpTo } from '../../db/count.ts';
import { toSearchText } from '../../search-text.ts';
import { createFhirQueries } from '../fhir/queries.ts';
import type { Criterion } from '../fhir/search.ts';
import { countWordPrefixUpTo, maxPrefixWords, nameMatch, searchCountCap, searchPractitioners, type SearchPosition } from './queries.ts';

/**
 * The word index of the published names (directory_name_word, migration
 * scale3m_20261204T2230_directory_name_words): kept by triggers whatever writes the read model,
 * and counting exactly what the name condition matches.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const row = (id: string, family: string, given: string, active = true) => ({
  id,
  rpps: id,
  family,
  given,
  familySearch: toSearchText(family),
  givenSearch: toSearchText(given),
  nameSearch: toSearchText(family, given),
  active,
  lastUpdated: new Date('2026-11-01T00:00:00Z'),
});

const wordsOf = (id: string) =>
  t.db.selectFrom('directoryNameWord').select(['word', 'part', 'active']).where('practitionerId', '=', id).orderBy('part').orderBy('word').execute();

describe('directory name words', () => {
  it('follow inserts, name and status changes, withdrawals and deletions', async () => {
    await t.db.insertInto('directoryPractitioner').values([row('90000000001', 'Le Gall-Martin', 'Anne-Marie'), row('90000000002', 'MARTIN', 'MARTIN', false)]).execute();
    expect(await wordsOf('90000000001')).toEqual([
      { word: 'gall', part: 'f', active: true },
      { word: 'le', part: 'f', active: true },
      { word: 'martin', part: 'f', active: true },
      { word: 'anne', part: 'g', active: true },
      { word: 'marie', part: 'g', active: true },
    ]);
    expect(await wordsOf('90000000002')).toEqual([
      { word: 'martin', part: 'f', active: false },
      { word: 'martin', part: 'g', active: false },
    ]);

    // A new version that leaves the name as it was keeps the words; a new name replaces them.
    await t.db.updateTable('directoryPractitioner').set({ versionId: 2 }).where('id', '=', '90000000001').execute();
    expect(await wordsOf('90000000001')).toHaveLength(5);
    await t.db.updateTable('directoryPractitioner').set({ ...row('90000000002', 'Lefèvre', 'Noël'), active: true }).where('id', '=', '90000000002').execute();
    expect(await wordsOf('90000000002')).toEqual([
      { word: 'lefevre', part: 'f', active: true },
      { word: 'noel', part: 'g', active: true },
    ]);

    // Withdrawn: the names are emptied, no word is left.
    await t.db
      .updateTable('directoryPractitioner')
      .set({ family: null, given: null, familySearch: '', givenSearch: '', nameSearch: '', active: false, withdrawn: true })
      .where('id', '=', '90000000002')
      .execute();
    expect(await wordsOf('90000000002')).toEqual([]);
    await t.db.deleteFrom('directoryPractitioner').where('id', '=', '90000000001').execute();
    expect(await wordsOf('90000000001')).toEqual([]);
  });

  it('count exactly what the word-prefix condition on the name matches, up to the cap', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      row(`91${String(i).padStart(9, '0')}`, i % 3 === 0 ? 'MARTIN-MARCHAND' : i % 3 === 1 ? 'DUPONT' : 'MARTINEZ', i % 2 === 0 ? 'Marie' : 'Jean', i % 5 !== 0),
    );
    await t.db.insertInto('directoryPractitioner').values(rows).execute();
    const inserted = sql<boolean>`id like '91%'`;
    let answered = 0;
    let cases = 0;
    for (const prefix of ['mar', 'mart', 'dup', 'jean', 'marie', 'z']) {
      // Only the rows of this test have words now (the first test's are gone).
      const matches = t.db.selectFrom('directoryPractitioner').where(inserted).where(nameMatch('name_search', prefix));
      for (const cap of [2, 5, 8, 100]) {
        for (const activeOnly of [false, true]) {
          const fromWords = await countWordPrefixUpTo(t.db, prefix, { activeOnly }, cap);
          cases++;
          // Undefined: too many professionals with two words of this prefix among the entries read, counted the usual way.
          if (fromWords === undefined) continue;
          answered++;
          expect(fromWords, `${prefix} up to ${cap}${activeOnly ? ', active' : ''}`).toEqual(await countUpTo(t.db, activeOnly ? matches.where('active', '=', true) : matches, cap));
        }
      }
    }
    expect(answered).toBeGreaterThan(cases * 0.8);
    const family = await countWordPrefixUpTo(t.db, 'mar', { part: 'f', activeOnly: false }, 100);
    expect(family).toEqual(await countUpTo(t.db, t.db.selectFrom('directoryPractitioner').where(inserted).where(nameMatch('family_search', 'mar')), 100));
  });

  it('give the search page the same pages in name order as the name condition, by cursor, one word or several', async () => {
    await t.db.deleteFrom('directoryPractitioner').execute();
    const families = ['Le Gall', 'LE GALL-MARTIN', 'Martin', 'Martinez', 'Gallet', 'Da Silva', 'Marchand Le Goff', 'Lefèvre', 'Le Bihan', 'Noël'];
    const givens = ['Marie', 'Anne-Marie', 'Jean', 'Gaëlle', 'Martine', 'Léa', 'Jean-Marc'];
    const rows = Array.from({ length: 70 }, (_, i) =>
      row(`92${String((i * 37) % 70).padStart(9, '0')}`, families[i % families.length]!, givens[(i * 3) % givens.length]!, i % 9 !== 4),
    );
    await t.db.insertInto('directoryPractitioner').values(rows).execute();
    for (const q of ['mar', 'martin', 'le', 'le gall', 'gall le', 'gal', 'marie mar', 'jean le', 'da sil', 'lef', 'noel', 'ma le ga', 'z', 'le z']) {
      const words = toSearchText(q).split(' ');
      let expected = t.db.selectFrom('directoryPractitioner').select('id').where('active', '=', true);
      for (const w of words) expected = expected.where(nameMatch('name_search', w));
      const ids = (await expected.orderBy('familySearch').orderBy('givenSearch').orderBy('id').execute()).map((r) => r.id);
      const pages: string[] = [];
      let after: SearchPosition | undefined;
      for (let n = 0; n < 40; n++) {
        const page = await searchPractitioners(t.db, { words }, 4, after ? { after } : {});
        expect(page.total, q).toBe(Math.min(ids.length, searchCountCap));
        pages.push(...page.rows.slice(0, 4).map((r) => r.id));
        if (page.rows.length <= 4) break;
        const last = page.rows[3]!;
        after = { family: last.familySearch, given: last.givenSearch, id: last.id };
      }
      expect(pages, q).toEqual(ids);
    }
  });

  it('give the FHIR search on one name word prefix the same pages in id order as the name condition', async () => {
    const fhir = createFhirQueries(t.db);
    for (const [name, column] of [['name', 'name_search'], ['family', 'family_search'], ['given', 'given_search']] as const) {
      for (const value of ['Mar', 'martin', 'GALL', 'Gaë', 'le', 'jean', 'z', 'Le Gall', 'le g', 'gall m', 'Da Sil', 'Marchand Le', 'jean m', 'Anne-Mar', 'le z']) {
        const ids = (await t.db.selectFrom('directoryPractitioner').select('id').where(nameMatch(column, toSearchText(value))).orderBy('id').execute()).map((r) => r.id);
        const criteria = [{ name, type: 'string', modifier: 'prefix', values: [value] }] as unknown as Criterion[];
        const pages: string[] = [];
        let after: string | null = null;
        for (let n = 0; n < 40; n++) {
          const page: { rows: { id: string }[]; next: string | null } = await fhir.practitioners(criteria, after, 4);
          pages.push(...page.rows.map((r) => r.id));
          after = page.next;
          if (after === null) break;
        }
        expect(pages, `${name}=${value}`).toEqual(ids);
      }
    }
  });

  it('count a FHIR name phrase (any status) exactly as the name condition, up to the cap', async () => {
    const fhir = createFhirQueries(t.db);
    let answered = 0;
    for (const [name, column] of [['name', 'name_search'], ['family', 'family_search'], ['given', 'given_search']] as const) {
      for (const value of ['Le Gall', 'le g', 'gall m', 'Da Sil', 'Marchand Le', 'jean m', 'Anne-Mar', 'le z', 'le gall martin']) {
        const criteria = [{ name, type: 'string', modifier: 'prefix', values: [value] }] as unknown as Criterion[];
        for (const cap of [2, 5, 100]) {
          const fromWords = await fhir.countNameWordUpTo(criteria, cap);
          if (fromWords === undefined) continue;
          answered++;
          const matches = t.db.selectFrom('directoryPractitioner').where(nameMatch(column, toSearchText(value)));
          expect(fromWords, `${name}=${value} up to ${cap}`).toEqual(await countUpTo(t.db, matches, cap));
        }
      }
    }
    expect(answered).toBeGreaterThan(60);
  });

  it('read the page another way when the prefix starts more than maxPrefixWords words, with the same result', async () => {
    const rows = Array.from({ length: maxPrefixWords + 6 }, (_, i) => row(`93${String(i).padStart(9, '0')}`, `Zq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`, 'Jean'));
    await t.db.insertInto('directoryPractitioner').values(rows).execute();
    const expected = rows.map((r) => ({ family: r.familySearch, id: r.id })).sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : a.id < b.id ? -1 : 1));
    const page = await searchPractitioners(t.db, { words: ['zq'] }, 10, {});
    expect(page.rows.map((r) => r.id)).toEqual(expected.slice(0, 11).map((r) => r.id));
    expect(page.total).toBe(rows.length);
    const fhir = await createFhirQueries(t.db).practitioners([{ name: 'family', type: 'string', modifier: 'prefix', values: ['zq'] }] as unknown as Criterion[], null, 10);
    expect(fhir.rows.map((r) => r.id)).toEqual(rows.map((r) => r.id).sort().slice(0, 10));
  });
});
