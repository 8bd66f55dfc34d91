import { normalizeName } from '../register/names.ts';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import type { Kysely } from 'kysely';
import type { Clock } from '../../context.ts';
import { type Database, isUniqueViolation } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { ExtractionNotFoundError } from './errors.ts';
import { idnpsOf } from '../access/professional-id.ts';
import {
  activeLinesAfter,
  activeLinesOf,
  changedProfessionalsAfter,
  chunkAfter,
  collectChangedProfessionals,
  completeExtraction,
  deltaStart,
  type ExtractionLine,
  findExtraction,
  findExtractionByName,
  insertChunk,
  insertExtraction,
  lastChangeSeq,
  type LineCursor,
  listExtractions,
  pruneExtractions,
  tryExtractionLock,
  withdrawnProfessionalsAfter,
} from './extraction-queries.ts';

/**
 * Extraction files of the public directory in the format of the ANS `PS_LibreAcces` file
 * (../shared/FHIR.md §5; docs/directory-and-fhir.md, "Extraction files"): UTF-8, `|`-separated,
 * a header line, a trailing `|` on every line, one line per professional × active situation.
 * Built from the public read model only: never état civil nor contact data.
 */

/** The 52 columns of `PS_LibreAcces_Personne_activite`, verbatim (FHIR.md §5). */
export const personneActiviteColumns = [
  "Type d'identifiant PP", 'Identifiant PP', 'Identification nationale PP', "Code civilité d'exercice", "Libellé civilité d'exercice",
  'Code civilité', 'Libellé civilité', "Nom d'exercice", "Prénom d'exercice", 'Code profession', 'Libellé profession',
  'Code catégorie professionnelle', 'Libellé catégorie professionnelle', 'Code type savoir-faire', 'Libellé type savoir-faire',
  'Code savoir-faire', 'Libellé savoir-faire', 'Code mode exercice', 'Libellé mode exercice', 'Numéro SIRET site', 'Numéro SIREN site',
  'Numéro FINESS site', 'Numéro FINESS établissement juridique', 'Identifiant technique de la structure', 'Raison sociale site',
  'Enseigne commerciale site', 'Complément destinataire (coord. structure)', 'Complément point géographique (coord. structure)',
  'Numéro Voie (coord. structure)', 'Indice répétition voie (coord. structure)', 'Code type de voie (coord. structure)',
  'Libellé type de voie (coord. structure)', 'Libellé Voie (coord. structure)', 'Mention distribution (coord. structure)',
  'Bureau cedex (coord. structure)', 'Code postal (coord. structure)', 'Code commune (coord. structure)', 'Libellé commune (coord. structure)',
  'Code pays (coord. structure)', 'Libellé pays (coord. structure)', 'Téléphone (coord. structure)', 'Téléphone 2 (coord. structure)',
  'Télécopie (coord. structure)', 'Adresse e-mail (coord. structure)', 'Code Département (structure)', 'Libellé Département (structure)',
  'Ancien identifiant de la structure', "Autorité d'enregistrement", "Code secteur d'activité", "Libellé secteur d'activité",
  'Code section tableau pharmaciens', 'Libellé section tableau pharmaciens',
] as const;

/**
 * Columns of the newer version of the file (FHIR.md §5, note), appended after the 52 so a reader
 * of the classic layout still finds every column where it expects it. They carry what RPPS+ is
 * about: the rôle (TRE_R85, the "profession" chosen in RPPS+) and the genre d'activité (TRE_R22).
 */
export const roleColumns = ['Code rôle', 'Libellé rôle', 'Code genre activité', 'Libellé genre activité'] as const;

export const extractionColumns = [...personneActiviteColumns, ...roleColumns] as const;
type Column = (typeof extractionColumns)[number];

/** The withdrawals file of a delta: professionals who left the public file since the previous delta. */
export const withdrawalColumns = ["Type d'identifiant PP", 'Identifiant PP', 'Identification nationale PP'] as const;

/** A value never breaks the format: no separator, no line break inside a field. */
const clean = (v: string | null | undefined) => (v ?? '').replace(/[|\r\n]+/g, ' ').trim();
const formatLine = (values: readonly (string | null | undefined)[]) => `${values.map(clean).join('|')}|\n`;

export function lineOf(row: ExtractionLine): string {
  const v: Partial<Record<Column, string | null>> = {
    "Type d'identifiant PP": '8',
    'Identifiant PP': row.rpps,
    'Identification nationale PP': idnpsOf(row.rpps),
    // The RPPS file convention: names in capitals without accents (the register shows them as typed).
    "Nom d'exercice": row.family === null ? row.family : normalizeName(row.family),
    "Prénom d'exercice": row.given === null ? row.given : normalizeName(row.given),
    'Code profession': row.professionCode,
    'Libellé profession': row.professionLabel,
    // Every RPPS+ professional is a civilian "acteur caractérisé par rôle" (TRE_R09 C, as in FHIR).
    'Code catégorie professionnelle': 'C',
    'Libellé catégorie professionnelle': 'Civil',
    'Code mode exercice': row.modeCode,
    'Libellé mode exercice': row.modeLabel,
    'Numéro SIRET site': row.siret,
    'Numéro SIREN site': row.siren,
    'Numéro FINESS site': row.egFiness,
    'Numéro FINESS établissement juridique': row.ejFiness,
    'Raison sociale site': row.egName,
    // FINESS holds the address as one line: it goes whole into the street label.
    'Libellé Voie (coord. structure)': row.addressLine,
    'Code postal (coord. structure)': row.postalCode,
    'Code commune (coord. structure)': row.inseeCode,
    'Libellé commune (coord. structure)': row.city,
    'Code Département (structure)': row.departmentCode,
    'Libellé Département (structure)': row.departmentLabel,
    'Code rôle': row.professionCode,
    'Libellé rôle': row.professionLabel,
    'Code genre activité': row.roleCode,
    'Libellé genre activité': row.roleLabel,
  };
  return formatLine(extractionColumns.map((c) => v[c]));
}

const withdrawalLine = (rpps: string) => formatLine(['8', rpps, idnpsOf(rpps)]);

/** YYYYMMDDhhmm in Paris time, as the ANS names its files. */
export function fileStamp(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}`;
}

export type ExtractionKind = 'full' | 'delta';

export const extractionFileNames = (kind: ExtractionKind, at: Date) => {
  const stamp = fileStamp(at);
  return {
    zip: kind === 'full' ? `PS_LibreAcces_${stamp}.zip` : `PS_LibreAcces_Delta_${stamp}.zip`,
    lines: `PS_LibreAcces_Personne_activite_${stamp}.txt`,
    withdrawals: `PS_LibreAcces_Personne_activite_Retraits_${stamp}.txt`,
  };
};

/** Rows read per query: a few MB at most in memory, whatever the directory size. */
const batchSize = 5000;
/** Size of the stored chunks of a file. */
const chunkBytes = 1024 * 1024;

/** The batches of a keyset walk: `fetch` after the key of the previous batch's last row, until an empty batch. */
async function* keysetBatches<K, R>(start: K, fetch: (after: K) => Promise<R[]>, keyOf: (last: R) => K): AsyncGenerator<R[]> {
  let after = start;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    after = keyOf(rows.at(-1)!);
  }
}

export type GenerateResult =
  | { status: 'generated' | 'existing'; extraction: ExtractionInfo }
  /** Another instance is generating a file right now (advisory lock held): nothing done. */
  | { status: 'running' };

export type ExtractionInfo = NonNullable<Awaited<ReturnType<typeof findExtraction>>>;

export interface ExtractionDeps {
  db: Database;
  clock: Clock;
  /** Files of each kind kept (the oldest are deleted after a new one). */
  keep: number;
}

export function createDirectoryExtraction(deps: ExtractionDeps) {
  const { db, clock } = deps;

  async function* fullLines(trx: Kysely<DB>, progress: (lines: number) => void) {
    yield formatLine(extractionColumns);
    let lines = 0;
    const next = (after: LineCursor | null) => activeLinesAfter(trx, after, batchSize);
    for await (const rows of keysetBatches(null, next, (last) => ({ practitionerId: last.practitionerId, roleId: last.roleId }))) {
      yield rows.map(lineOf).join('');
      progress((lines += rows.length));
    }
  }

  async function* deltaLines(trx: Kysely<DB>, progress: (lines: number) => void) {
    yield formatLine(extractionColumns);
    let lines = 0;
    for await (const rpps of keysetBatches('', (after) => changedProfessionalsAfter(trx, after, batchSize), (last) => last)) {
      const rows = await activeLinesOf(trx, rpps);
      if (rows.length > 0) yield rows.map(lineOf).join('');
      progress((lines += rows.length));
    }
  }

  async function* withdrawals(trx: Kysely<DB>, count: (n: number) => void) {
    yield formatLine(withdrawalColumns);
    let n = 0;
    for await (const rpps of keysetBatches('', (after) => withdrawnProfessionalsAfter(trx, after, batchSize), (last) => last)) {
      yield rpps.map(withdrawalLine).join('');
      count((n += rpps.length));
    }
  }

  /** Writes the zip into chunks of the extraction row as archiver produces it. */
  function chunkWriter(trx: Kysely<DB>, extractionId: string) {
    const hash = createHash('sha256');
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let n = 0;
    let size = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      n += 1;
      await insertChunk(trx, extractionId, n, data);
    };
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < chunkBytes) return done();
        flush().then(() => done(), done);
      },
      final(done) {
        flush().then(() => done(), done);
      },
    });
    return { stream, result: () => ({ sizeBytes: size, sha256: hash.digest('hex') }) };
  }

  /**
   * Generates one file. Everything happens in one REPEATABLE READ transaction: the file is a
   * consistent snapshot of the directory, its `seqTo` is exactly the last change it includes, and
   * it appears (rows and chunks) only once complete. A second run while one is going answers
   * `running` (advisory lock); a second run in the same minute finds the first file.
   */
  async function generate(kind: ExtractionKind, options: { onProgress?: (lines: number) => void } = {}): Promise<GenerateResult> {
    const generatedAt = clock.now();
    const names = extractionFileNames(kind, generatedAt);
    const progress = options.onProgress ?? (() => {});
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx): Promise<GenerateResult> => {
        if (!(await tryExtractionLock(trx))) return { status: 'running' };
        const existing = await findExtractionByName(trx, names.zip);
        if (existing) return { status: 'existing', extraction: existing };

        const seqTo = await lastChangeSeq(trx);
        const seqFrom = kind === 'delta' ? await deltaStart(trx) : 0;
        const { id } = await insertExtraction(trx, { kind, fileName: names.zip, generatedAt, seqFrom, seqTo });
        let lineCount = 0;
        let withdrawnCount = 0;
        const onLines = (n: number) => {
          lineCount = n;
          progress(n);
        };
        const zip = new ZipArchive({ zlib: { level: 6 } });
        const writer = chunkWriter(trx, id);
        const written = pipeline(zip, writer.stream);
        // A failed read (database error) fails the zip, hence the pipeline and the transaction;
        // unhandled, it would be an 'error' event that ends the process.
        const append = (lines: AsyncGenerator<string>, name: string) => {
          const source = Readable.from(lines);
          source.on('error', (err) => zip.destroy(err));
          zip.append(source, { name, date: generatedAt });
        };
        if (kind === 'full') {
          append(fullLines(trx, onLines), names.lines);
        } else {
          await collectChangedProfessionals(trx, seqFrom, seqTo);
          append(deltaLines(trx, onLines), names.lines);
          append(withdrawals(trx, (n) => (withdrawnCount = n)), names.withdrawals);
        }
        await Promise.all([zip.finalize(), written]);
        await completeExtraction(trx, id, { lineCount, withdrawnCount, ...writer.result() });
        await pruneExtractions(trx, kind, deps.keep);
        return { status: 'generated', extraction: (await findExtraction(trx, id))! };
      })
      .catch(async (err: unknown) => {
        // The snapshot is taken by the lock statement itself: a run that committed between that
        // snapshot and the lock is invisible to this one, whose insert then meets its file name.
        const existing = isUniqueViolation(err) ? await findExtractionByName(db, names.zip) : undefined;
        if (existing) return { status: 'existing', extraction: existing } satisfies GenerateResult;
        throw err;
      });
  }

  /** The zip, read one chunk at a time (a download never holds the whole file). */
  function content(extractionId: string): Readable {
    async function* chunks() {
      let n = 0;
      for (;;) {
        const chunk = await chunkAfter(db, extractionId, n);
        if (!chunk) return;
        yield Buffer.from(chunk.data);
        n = chunk.n;
      }
    }
    return Readable.from(chunks());
  }

  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  async function find(id: string) {
    return uuid.test(id) ? findExtraction(db, id) : undefined;
  }

  return {
    generate,
    content,
    /** The kept files, newest first, as the public API shows them. */
    async list() {
      return { items: (await listExtractions(db)).map(toPublic) };
    },
    /** One file's metadata and its content stream; unknown (or pruned) id: ExtractionNotFoundError. */
    async download(id: string) {
      const info = await find(id);
      if (!info) throw new ExtractionNotFoundError();
      return { info, content: () => content(info.id) };
    },
  };
}

/** The one place an extraction row becomes a public API object. */
const toPublic = (e: ExtractionInfo) => ({
  id: e.id,
  kind: e.kind,
  generatedAt: e.generatedAt.toISOString(),
  fileName: e.fileName,
  sizeBytes: Number(e.sizeBytes),
  lineCount: e.lineCount,
  withdrawnCount: e.withdrawnCount,
  downloadUrl: `/api/directory/extractions/${e.id}`,
});
export type DirectoryExtraction = ReturnType<typeof createDirectoryExtraction>;
