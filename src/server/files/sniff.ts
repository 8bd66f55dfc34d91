/** The document types RPPS+ accepts, recognised by their first bytes ("magic numbers"), never by name. */
export type AcceptedType = 'application/pdf' | 'image/jpeg' | 'image/png';

const signatures: Array<{ type: AcceptedType; bytes: number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** The type of `content` as its bytes say, or undefined (an .exe renamed .pdf starts with "MZ"). */
export function sniffType(content: Uint8Array): AcceptedType | undefined {
  return signatures.find((s) => s.bytes.every((b, i) => content[i] === b))?.type;
}

/** A ZIP container ("PK\x03\x04"): XLSX, DOCX… What is inside still has to be checked by its reader. */
export function isZip(content: Uint8Array): boolean {
  return [0x50, 0x4b, 0x03, 0x04].every((b, i) => content[i] === b);
}
