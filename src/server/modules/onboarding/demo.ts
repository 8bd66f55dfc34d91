import { type AuditValues, recordAudit } from '../../audit.ts';
import type { Database } from '../../db/database.ts';
import { loadDemoIdentities, type DemoIdentities } from '../../dev-idp/identities.ts';
import { postgresFileStore } from '../../files/store.ts';

/** The demo seeds' actor in the audit trail (never a real user). */
export const demoActor = 'demo:fixtures';
const demoSource = 'fixtures/identities.json (demo)';

/** A one-page PDF (valid enough for any viewer), standing for a scanned document in the demo. */
export function minimalPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 72 770 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 72 770 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * Demo data of the onboarding (never in production): the demo identities' roles on EJ 690800123
 * become a real active contract (RL with his CDE card), a mandataire and two habilitations (one
 * EJ-wide, one EG-scoped), so that revoking them in the UI works like on real data; plus one
 * contract waiting for the ANS (EJ 330050311). The demo roles of fixtures/identities.json other
 * than "operator" are then removed from `staff_role`: the onboarding rows replace them.
 * Idempotent: an EJ that already has a contract is left alone.
 */
export async function seedDemoOnboarding(db: Database, identities: DemoIdentities = loadDemoIdentities(), now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rl = identities.psc.flatMap((p) => p.roles.filter((r) => r.role === 'legal_representative' && r.ejFiness).map((r) => ({ p, ej: r.ejFiness! })));
    const pdf = minimalPdf('Document de demonstration RPPS+');
    const file = async (purpose: string) =>
      (await postgresFileStore.put(trx, { purpose, contentType: 'application/pdf', originalName: `${purpose}-demo.pdf`, content: pdf, createdBy: demoActor }, now)).id;
    const audit = (action: string, entityType: string, entityId: string, after: AuditValues) =>
      recordAudit(trx, { at: now, actor: { id: demoActor, kind: 'demo' }, action, entityType, entityId, after });

    for (const { p, ej } of rl) {
      const exists = await trx.selectFrom('contract').select('id').where('ejFiness', '=', ej).executeTakeFirst();
      if (exists) continue;
      const egScoped = identities.psc.some((q) => q.roles.some((r) => r.role === 'gestionnaire' && r.ejFiness === ej && r.egFiness));
      const contract = await trx
        .insertInto('contract')
        .values({
          ejFiness: ej,
          status: 'active',
          strategy: egScoped ? 'decentralized' : 'centralized',
          rlCivility: p.civility === 'MME' ? 'MME' : 'M',
          rlFamilyName: p.familyName,
          rlGivenName: p.givenName,
          rlEmail: 'representant.legal@exemple.invalid',
          rlPhone: '+33400000000',
          rlIdnps: null,
          cdeIdnps: p.idnps,
          signedOn: '2026-01-15',
          signedFileId: await file('signed-contract'),
          requestedBy: demoActor,
          submittedAt: now,
          decidedBy: demoActor,
          decidedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('cardOrder')
        .values({ ejFiness: ej, form: 'F101', cardKind: 'CDE', holderIdnps: p.idnps, holderFamilyName: p.familyName, holderGivenName: p.givenName, reference: null, contractId: contract.id, recordedBy: demoActor, recordedAt: now })
        .execute();
      await trx.insertInto('staffRole').values({ idnps: p.idnps, role: 'legal_representative', ejFiness: ej, egFiness: null, source: `onboarding:contract:${contract.id}`, createdAt: now }).execute();
      await audit('contract.seed', 'contract', contract.id, { status: 'active' });

      for (const m of identities.psc.filter((q) => q.roles.some((r) => r.role === 'mandataire' && r.ejFiness === ej))) {
        const row = await trx
          .insertInto('mandataire')
          .values({ ejFiness: ej, idnps: m.idnps, familyName: m.familyName, givenName: m.givenName, email: 'mandataire@exemple.invalid', designatedBy: demoActor, createdAt: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('staffRole').values({ idnps: m.idnps, role: 'mandataire', ejFiness: ej, egFiness: null, source: `onboarding:mandataire:${row.id}`, createdAt: now }).execute();
        await audit('mandataire.seed', 'mandataire', row.id, { active: true });
      }

      for (const g of identities.psc.filter((q) => q.roles.some((r) => r.role === 'gestionnaire' && r.ejFiness === ej))) {
        const roles = g.roles.filter((r) => r.role === 'gestionnaire' && r.ejFiness === ej);
        const egs = roles.some((r) => !r.egFiness) ? [] : roles.map((r) => r.egFiness!);
        const row = await trx
          .insertInto('habilitation')
          .values({
            ejFiness: ej,
            idnps: g.idnps,
            familyName: g.familyName,
            givenName: g.givenName,
            email: 'gestionnaire@exemple.invalid',
            scopeKind: egs.length ? 'eg' : 'ej',
            status: 'active',
            credential: g.card ? 'card' : 'ecps',
            cardForm: g.card ? 'F502' : null,
            cardFormReference: null,
            attestationFileId: await file('elearning-attestation'),
            elearningCompletedOn: '2026-02-01',
            endsOn: null,
            createdBy: demoActor,
            createdAt: now,
            updatedAt: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (egs.length) await trx.insertInto('habilitationEg').values(egs.map((eg) => ({ habilitationId: row.id, egFiness: eg }))).execute();
        await trx
          .insertInto('staffRole')
          .values((egs.length ? egs : [null]).map((eg) => ({ idnps: g.idnps, role: 'gestionnaire' as const, ejFiness: ej, egFiness: eg, source: `onboarding:habilitation:${row.id}`, createdAt: now })))
          .execute();
        await audit('habilitation.seed', 'habilitation', row.id, { status: 'active', scope: egs.length ? 'eg' : 'ej', egFiness: egs });
      }
    }

    const pendingEj = '330050311';
    const pending = await trx.selectFrom('contract').select('id').where('ejFiness', '=', pendingEj).executeTakeFirst();
    const known = await trx.selectFrom('structure').select('finess').where('finess', '=', pendingEj).executeTakeFirst();
    if (!pending && known) {
      const row = await trx
        .insertInto('contract')
        .values({
          ejFiness: pendingEj,
          status: 'submitted',
          rlCivility: 'MME',
          rlFamilyName: 'MARCHAND',
          rlGivenName: 'Hélène',
          rlEmail: 'direction@oceane-solidarite.invalid',
          rlPhone: '+33556000000',
          signedOn: '2026-11-02',
          signedFileId: await file('signed-contract'),
          requestedBy: demoActor,
          submittedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit('contract.seed', 'contract', row.id, { status: 'submitted' });
    }

    // The onboarding rows above now carry these roles; only the operator stays a fixture role.
    await trx.deleteFrom('staffRole').where('source', '=', demoSource).where('role', '!=', 'operator').execute();
  });
}
