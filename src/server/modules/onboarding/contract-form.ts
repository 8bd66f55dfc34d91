import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

/**
 * The pre-filled contrat d'adhésion (issue 16, item 3), generated as a PDF for the RL to print,
 * sign and upload at step 3 of the request. Its fields are those of the ANS contract's annex
 * (seed 000, annexe 1): raison sociale as in FINESS, FINESS juridique and SIRET du siège,
 * address of the organisme gestionnaire, the RL's details, the matricule of his card, his e-mail.
 */
export interface ContractFormData {
  contractId: string;
  generatedOn: string;
  ejFiness: string;
  ejName: string;
  egFiness: string | null;
  egName: string | null;
  siret: string | null;
  address: string | null;
  rl: { civility: string; familyName: string; givenName: string; email: string; phone: string; idnps: string | null; cardMatricule: string | null };
  mieCguVersion: string | null;
  mieCguAcceptedOn: string | null;
}

const A4 = { width: 595.28, height: 841.89 };
const margin = 56;
const blue = rgb(0, 0, 0.57);
const grey = rgb(0.4, 0.4, 0.4);

const frenchDate = (iso: string) => iso.slice(0, 10).split('-').reverse().join('/');

export async function contractFormPdf(d: ContractFormData): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Contrat d’adhésion RPPS+ — ${d.egFiness ? d.egName : d.ejName}`);
  pdf.setAuthor('Agence du Numérique en Santé');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(new Date(`${d.generatedOn}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${d.generatedOn}T00:00:00Z`));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const charset = new Set(regular.getCharacterSet());
  // The standard fonts encode WinAnsi only: other letters lose their accent (ğ → g), never the text.
  const safe = (text: string) =>
    [...text].map((c) => (charset.has(c.codePointAt(0)!) ? c : (c.normalize('NFD').replace(/\p{M}/gu, '') || '?'))).map((c) => (charset.has(c.codePointAt(0)!) ? c : '?')).join('');

  let page: PDFPage = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - margin;
  const width = A4.width - 2 * margin;

  const newPageIfNeeded = (needed: number) => {
    if (y - needed > margin) return;
    page = pdf.addPage([A4.width, A4.height]);
    y = A4.height - margin;
  };
  const wrap = (text: string, font: PDFFont, size: number, max: number) => {
    const lines: string[] = [];
    let line = '';
    for (const word of safe(text).split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > max && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines;
  };
  const paragraph = (text: string, opts: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; after?: number; indent?: number } = {}) => {
    const size = opts.size ?? 10;
    const font = opts.font ?? regular;
    for (const line of wrap(text, font, size, width - (opts.indent ?? 0))) {
      newPageIfNeeded(size + 4);
      page.drawText(line, { x: margin + (opts.indent ?? 0), y: y - size, size, font, color: opts.color ?? rgb(0.09, 0.09, 0.09) });
      y -= size + 4;
    }
    y -= opts.after ?? 6;
  };
  const heading = (text: string) => {
    newPageIfNeeded(40);
    y -= 4;
    page.drawRectangle({ x: margin, y: y - 20, width, height: 22, color: rgb(0.93, 0.93, 0.97) });
    page.drawText(safe(text), { x: margin + 8, y: y - 14, size: 11.5, font: bold, color: blue });
    y -= 30;
  };
  const field = (label: string, value: string | null) => {
    const labelWidth = 190;
    const lines = wrap(value ?? '', regular, 10, width - labelWidth - 8);
    newPageIfNeeded(14 * Math.max(1, lines.length) + 6);
    page.drawText(safe(label), { x: margin, y: y - 10, size: 9.5, font: bold, color: grey });
    if (lines.length === 0) {
      page.drawLine({ start: { x: margin + labelWidth, y: y - 11 }, end: { x: margin + width, y: y - 11 }, thickness: 0.5, color: grey });
      y -= 20;
      return;
    }
    for (const line of lines) {
      page.drawText(line, { x: margin + labelWidth, y: y - 10, size: 10, font: regular });
      y -= 13;
    }
    y -= 3;
  };

  // Header
  page.drawText('RÉPUBLIQUE', { x: margin, y: y - 10, size: 10, font: bold });
  page.drawText('FRANÇAISE', { x: margin, y: y - 22, size: 10, font: bold });
  page.drawText(safe('Agence du Numérique en Santé'), { x: A4.width - margin - bold.widthOfTextAtSize(safe('Agence du Numérique en Santé'), 10), y: y - 16, size: 10, font: bold, color: blue });
  y -= 50;
  paragraph('Contrat d’adhésion aux services de l’Agence du Numérique en Santé', { font: bold, size: 16, color: blue, after: 2 });
  paragraph(d.egFiness ? 'Portail RPPS+ — contrat au niveau du FINESS géographique' : 'Portail RPPS+ — contrat au niveau du FINESS juridique', { size: 11, color: grey, after: 2 });
  paragraph(`Référence de la demande : ${d.contractId} — pré-rempli le ${frenchDate(d.generatedOn)}`, { size: 8.5, color: grey, after: 10 });

  paragraph(
    'Le présent contrat engage la responsabilité de la personne morale et lui ouvre le droit de déclarer l’identité de ses salariés (hors professionnels à obligation d’enregistrement auprès d’un ordre ou d’une ARS) dans le Répertoire partagé des professionnels intervenant dans le système de santé (RPPS). Il permet également de commander les moyens d’identification électronique associés aux professionnels (cartes CPx, e-CPS) ou à la structure (certificats logiciels), délivrés à titre gratuit par l’ANS.',
  );

  heading('1. Identification de l’organisme gestionnaire');
  field('Raison sociale (FINESS)', d.ejName);
  field('N° FINESS juridique', d.ejFiness);
  if (d.egFiness) {
    field('Établissement (FINESS géographique)', `${d.egName ?? ''} — ${d.egFiness}`);
  }
  field('N° SIRET du siège', d.siret);
  field('Adresse', d.address);

  heading('2. Identification du représentant légal');
  field('Civilité', d.rl.civility === 'MME' ? 'Madame' : 'Monsieur');
  field('Nom', d.rl.familyName);
  field('Prénom', d.rl.givenName);
  field('Adresse électronique', d.rl.email);
  field('Téléphone', d.rl.phone);
  field('N° de matricule de la carte', d.rl.cardMatricule ?? (d.rl.idnps ? d.rl.idnps : 'Sans carte : carte CDE à commander (F101)'));
  paragraph(
    'Le n° de matricule correspond à l’identifiant de la carte du représentant légal, lorsqu’il en possède une. L’adresse électronique du représentant légal facilite la prise de contact du service client de l’ANS pour toute demande complémentaire.',
    { size: 8.5, color: grey },
  );

  heading('3. Conditions générales d’utilisation des moyens d’identification électronique');
  paragraph(
    d.mieCguVersion
      ? `Le représentant légal déclare avoir pris connaissance des conditions générales d’utilisation des moyens d’identification électronique (MIE) délivrés par l’ANS (référence ${d.mieCguVersion}) le ${frenchDate(d.mieCguAcceptedOn ?? d.generatedOn)}.`
      : 'Le représentant légal déclare avoir pris connaissance des conditions générales d’utilisation des moyens d’identification électronique (MIE) délivrés par l’ANS.',
  );
  paragraph('La carte de représentant légal (CDE, formulaire F101) est commandée à l’activation du contrat ; elle porte aussi les droits de mandataire et de gestionnaire RPPS+.');

  newPageIfNeeded(140);
  heading('4. Signature');
  page.drawText(safe('Fait à'), { x: margin, y: y - 10, size: 9.5, font: bold, color: grey });
  page.drawLine({ start: { x: margin + 40, y: y - 11 }, end: { x: margin + 250, y: y - 11 }, thickness: 0.5, color: grey });
  page.drawText('le', { x: margin + 262, y: y - 10, size: 9.5, font: bold, color: grey });
  page.drawLine({ start: { x: margin + 280, y: y - 11 }, end: { x: margin + width, y: y - 11 }, thickness: 0.5, color: grey });
  y -= 26;
  page.drawText(safe('Signature et cachet du représentant légal'), { x: margin, y: y - 10, size: 9.5, font: bold, color: grey });
  page.drawRectangle({ x: margin, y: y - 84, width: 260, height: 68, borderColor: grey, borderWidth: 0.7 });
  y -= 92;

  for (const [i, p] of pdf.getPages().entries()) {
    const note = safe(`Document pré-rempli par RPPS+ : à signer, puis à déposer au format PDF à l’étape 3 de la demande d’adhésion. Page ${i + 1}/${pdf.getPageCount()}`);
    p.drawText(note, { x: margin, y: margin - 20, size: 7.5, font: regular, color: grey });
  }
  return Buffer.from(await pdf.save());
}
