import { type PractitionerRow, toPractitioner } from './resources.ts';

/**
 * `JSON.stringify(toPractitioner(row))`, byte for byte, without building the resource: the text of
 * each shape of the resource (active or not, withdrawn or not, which name parts) is cut once from
 * `toPractitioner` run on marker values, and a row's values go between the cuts. `toPractitioner`
 * stays the one description of the resource; this only spares a read by id building an object to
 * serialize it (4–7 µs a miss: docs/performance.md, "Sixth round").
 */
type Slot = 'id' | 'rpps' | 'family' | 'given' | 'versionId' | 'lastUpdated';
const slots: readonly Slot[] = ['id', 'rpps', 'family', 'given', 'versionId', 'lastUpdated'];
const marker = (slot: Slot) => `@@rpps-slot-${slot}@@`;
const markers = new RegExp(slots.map(marker).join('|'), 'g');

interface Template {
  /** Constant texts; a value goes after each but the last. */
  cuts: string[];
  /** The slot after each cut. */
  fill: Slot[];
}

function compile(active: boolean, withdrawn: boolean, hasFamily: boolean, hasGiven: boolean): Template {
  // A Date whose ISO text is the marker: `meta.lastUpdated` is `lastUpdated.toISOString()`.
  const lastUpdated = { toISOString: () => marker('lastUpdated') } as unknown as Date;
  const text = JSON.stringify(
    toPractitioner({
      id: marker('id'),
      rpps: marker('rpps'),
      family: hasFamily ? marker('family') : null,
      given: hasGiven ? marker('given') : null,
      active,
      withdrawn,
      versionId: marker('versionId') as unknown as number,
      lastUpdated,
    }),
  );
  const cuts = text.split(markers);
  const fill = [...text.matchAll(markers)].map((m) => slots.find((s) => marker(s) === m[0])!);
  return { cuts, fill };
}

const templates = new Map<string, Template>();

/** What JSON.stringify escapes in a string: quote, backslash, control characters (and surrogates, to be safe). */
const escaped = /["\\\u0000-\u001f\ud800-\udfff]/;
/** A string value as it is between JSON quotes. */
const inJson = (value: string) => (escaped.test(value) ? JSON.stringify(value).slice(1, -1) : value);

export function practitionerJson(row: PractitionerRow): string {
  const hasFamily = Boolean(row.family);
  const hasGiven = Boolean(row.given);
  const key = `${row.active ? 1 : 0}${row.withdrawn ? 1 : 0}${hasFamily ? 1 : 0}${hasGiven ? 1 : 0}`;
  let template = templates.get(key);
  if (!template) templates.set(key, (template = compile(row.active, row.withdrawn, hasFamily, hasGiven)));
  const values: Record<Slot, string> = {
    id: inJson(row.id),
    rpps: inJson(row.rpps),
    family: hasFamily ? inJson(row.family!) : '',
    given: hasGiven ? inJson(row.given!) : '',
    versionId: inJson(String(row.versionId)),
    lastUpdated: row.lastUpdated.toISOString(),
  };
  const { cuts, fill } = template;
  let json = cuts[0]!;
  for (let i = 0; i < fill.length; i++) json += values[fill[i]!] + cuts[i + 1]!;
  return json;
}
