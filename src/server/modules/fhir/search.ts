import { checkFormatParam } from './format.ts';
import { invalid } from './outcome.ts';
import type { ResourceType } from './resources.ts';

/**
 * Search parameters, as the ANS Annuaire Santé server offers them for the three resources
 * (../shared/FHIR.md §2). This table drives both the parser and the CapabilityStatement, so the
 * statement lists exactly what is implemented.
 */
export type ParamType = 'token' | 'string' | 'reference' | 'date';
export interface ParamDefinition {
  type: ParamType;
  documentation: string;
  modifiers?: readonly string[];
}

const common = {
  _id: { type: 'token', documentation: 'Logical id' },
  _lastUpdated: { type: 'date', documentation: 'Last change, with prefixes eq/gt/ge/lt/le/sa/eb (delta synchronisation)' },
  active: { type: 'token', documentation: 'true, or false for ended or withdrawn entries' },
} as const satisfies Record<string, ParamDefinition>;
const stringModifiers = ['exact', 'contains'] as const;

export const searchParams = {
  Practitioner: {
    ...common,
    identifier: { type: 'token', documentation: 'IDNPS (urn:oid:1.2.250.1.71.4.2.1) or RPPS (https://rpps.esante.gouv.fr), as system|value or value' },
    name: { type: 'string', documentation: 'Exercise name (family or given), accent- and case-insensitive, prefix', modifiers: stringModifiers },
    family: { type: 'string', documentation: 'Exercise family name', modifiers: stringModifiers },
    given: { type: 'string', documentation: 'Exercise given name', modifiers: stringModifiers },
    'qualification-code': { type: 'token', documentation: 'Profession (TRE_R291 99) or category (TRE_R09 C)' },
  },
  PractitionerRole: {
    ...common,
    identifier: { type: 'token', documentation: 'Situation identifier (https://rpps.esante.gouv.fr)' },
    practitioner: { type: 'reference', documentation: 'Practitioner/<id>' },
    organization: { type: 'reference', documentation: 'Organization/<id> (the FINESS EG)' },
    role: { type: 'token', documentation: 'Fonction TRE_R85, genre d’activité TRE_R22 or mode d’exercice TRE_R23' },
  },
  Organization: {
    ...common,
    identifier: { type: 'token', documentation: 'IDNST (urn:oid:1.2.250.1.71.4.2.2), FINESS (https://finess.esante.gouv.fr) or SIRET (https://sirene.fr)' },
    name: { type: 'string', documentation: 'Name (raison sociale / enseigne)', modifiers: stringModifiers },
    address: { type: 'string', documentation: 'Any part of the address', modifiers: stringModifiers },
    'address-city': { type: 'string', documentation: 'City', modifiers: stringModifiers },
    'address-postalcode': { type: 'string', documentation: 'Postal code (prefix)', modifiers: stringModifiers },
    partof: { type: 'reference', documentation: 'Organization/<id> of the EJ' },
    type: { type: 'token', documentation: 'GEOGRAPHICAL-ENTITY / LEGAL-ENTITY (fr-core-cs-v2-3307) or FINESS category (TRE_R66)' },
  },
} as const satisfies Record<ResourceType, Record<string, ParamDefinition>>;

export const includes = {
  Practitioner: { include: [] as string[], revinclude: ['PractitionerRole:practitioner'] },
  PractitionerRole: { include: ['PractitionerRole:practitioner', 'PractitionerRole:organization', '*'], revinclude: [] as string[] },
  Organization: { include: ['Organization:partof', '*'], revinclude: ['PractitionerRole:organization'] },
} satisfies Record<ResourceType, { include: string[]; revinclude: string[] }>;

export const maxCount = 1000;
export const defaultCount = 50;
const resultParams = ['_count', '_total', '_summary', '_elements', '_include', '_revinclude', '_format', '_pretty', '_page'] as const;

export interface Token {
  system?: string;
  code?: string;
}
export type Criterion =
  | { name: string; type: 'token'; values: Token[] }
  | { name: string; type: 'string'; modifier: 'prefix' | 'exact' | 'contains'; values: string[] }
  | { name: string; type: 'reference'; values: { type?: string; id: string }[] }
  | { name: string; type: 'date'; values: { op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sa' | 'eb'; low: Date; high: Date }[] };

export interface ParsedSearch {
  criteria: Criterion[];
  count: number;
  /** `_total` as asked; null when absent (the server's choice: see `bundleTotal` in service.ts). */
  total: 'none' | 'estimate' | 'accurate' | null;
  summaryCount: boolean;
  elements: string[] | null;
  include: string[];
  revinclude: string[];
  page: string | null;
  /** Parameters that were applied, for the self link (FHIR: the self link shows what was used). */
  used: [string, string][];
}

export type RawParams = Record<string, string | string[] | undefined>;

const maxValueLength = 256;
const fhirId = /^[A-Za-z0-9\-.]{1,64}$/;

/** Splits on commas not escaped with a backslash (FHIR search syntax), then unescapes. */
function splitValues(raw: string): string[] {
  return raw.split(/(?<!\\),/).map((v) => v.replace(/\\([,|$\\])/g, '$1'));
}

function parseToken(raw: string, name: string): Token {
  const bar = raw.search(/(?<!\\)\|/);
  const t: Token =
    bar === -1
      ? { code: raw }
      : { system: raw.slice(0, bar) || undefined, code: raw.slice(bar + 1) || undefined };
  if (!t.system && !t.code) throw invalid(`Paramètre ${name} : valeur vide.`, name);
  if (name === 'active') {
    if (t.system || (t.code !== 'true' && t.code !== 'false')) throw invalid('Paramètre active : true ou false attendu.', name);
  }
  if (name === 'identifier') checkIdentifier(t);
  if (name === '_id' && t.code && !fhirId.test(t.code)) throw invalid('Paramètre _id : identifiant FHIR non valide.', name);
  return t;
}

/** Identifiers of known systems must have their format (a bad RPPS is a client error, not "no match"). */
function checkIdentifier(t: Token) {
  const value = t.code;
  if (!value) return;
  const formats: Record<string, RegExp> = {
    'https://rpps.esante.gouv.fr': /^(\d{11}|[0-9a-f-]{36})$/i,
    'urn:oid:1.2.250.1.71.4.2.1': /^[0-9]\S{1,40}$/,
    'urn:oid:1.2.250.1.71.4.2.2': /^[0-4][0-9AB]{9,14}$/,
    'https://finess.esante.gouv.fr': /^[0-9][0-9AB][0-9]{7}$/,
    'https://sirene.fr': /^(\d{9}|\d{14})$/,
  };
  const format = t.system ? formats[t.system] : undefined;
  if (format && !format.test(value)) throw invalid(`Paramètre identifier : « ${value.slice(0, 40)} » n’est pas un identifiant valide pour ${t.system}.`, 'identifier');
  if (!/^[\w\-./:]+$/.test(value)) throw invalid('Paramètre identifier : caractères non valides.', 'identifier');
}

function parseReference(raw: string, name: string, expected: ResourceType): { type?: string; id: string } {
  const m = /^(?:(?:https?:\/\/[^?#]+\/)?([A-Z][A-Za-z]+)\/)?([A-Za-z0-9\-.]{1,64})$/.exec(raw);
  if (!m) throw invalid(`Paramètre ${name} : référence attendue (${expected}/<id>).`, name);
  if (m[1] && m[1] !== expected) throw invalid(`Paramètre ${name} : une référence vers ${expected} est attendue.`, name);
  return { type: m[1], id: m[2]! };
}

const datePattern = /^(eq|ne|gt|ge|lt|le|sa|eb)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function parseDate(raw: string, name: string) {
  const m = datePattern.exec(raw);
  if (!m) throw invalid(`Paramètre ${name} : date attendue (ex. ge2025-08-05 ou gt2025-08-05T10:00:00Z).`, name);
  const op = (m[1] ?? 'eq') as 'eq';
  const [y, mo, d, h, mi, s, ms, tz] = [m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9]];
  const year = Number(y);
  const month = mo ? Number(mo) : undefined;
  const day = d ? Number(d) : undefined;
  if ((month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31))) {
    throw invalid(`Paramètre ${name} : date non valide.`, name);
  }
  let low: Date;
  let high: Date;
  if (h !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}.${(ms ?? '0').padEnd(3, '0').slice(0, 3)}${tz ?? 'Z'}`;
    low = new Date(iso);
    high = new Date(low.getTime() + (s === undefined ? 60_000 : ms === undefined ? 1000 : 1));
  } else if (day !== undefined) {
    low = new Date(Date.UTC(year, month! - 1, day));
    high = new Date(Date.UTC(year, month! - 1, day + 1));
  } else if (month !== undefined) {
    low = new Date(Date.UTC(year, month - 1, 1));
    high = new Date(Date.UTC(year, month, 1));
  } else {
    low = new Date(Date.UTC(year, 0, 1));
    high = new Date(Date.UTC(year + 1, 0, 1));
  }
  if (Number.isNaN(low.getTime())) throw invalid(`Paramètre ${name} : date non valide.`, name);
  return { op, low, high };
}

/** `_elements`: element names separated by commas (searches and reads). */
export function parseElements(v: string): string[] {
  const list = v.split(',').map((e) => e.trim()).filter(Boolean);
  if (list.some((e) => !/^[a-zA-Z][a-zA-Z0-9]*$/.test(e))) throw invalid('Paramètre _elements : noms d’éléments séparés par des virgules.', '_elements');
  return list;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Parses a search. Unknown parameters are ignored (and left out of the self link), unless the
 * client sent `Prefer: handling=strict`, as FHIR R4 §3.1.1.4.1 (search, handling errors) asks.
 */
export function parseSearch(type: ResourceType, raw: RawParams, strict: boolean): ParsedSearch {
  const defs = searchParams[type] as Record<string, ParamDefinition>;
  const parsed: ParsedSearch = {
    criteria: [],
    count: defaultCount,
    total: null,
    summaryCount: false,
    elements: null,
    include: [],
    revinclude: [],
    page: null,
    used: [],
  };
  const single = (name: string, values: string[]) => {
    if (values.length > 1) throw invalid(`Le paramètre ${name} ne peut être donné qu’une fois.`, name);
    return values[0]!;
  };
  for (const [key, rawValue] of Object.entries(raw)) {
    const values = asList(rawValue);
    if (key.length > 100) throw invalid('Nom de paramètre trop long.');
    for (const v of values) {
      if (typeof v !== 'string') throw invalid(`Paramètre ${key} : valeur non valide.`, key);
      if (v.length > maxValueLength) throw invalid(`Paramètre ${key} : valeur trop longue (${maxValueLength} caractères au plus).`, key);
    }
    const [name, modifier] = key.split(':', 2) as [string, string | undefined];
    if ((resultParams as readonly string[]).includes(name)) {
      if (modifier !== undefined) throw invalid(`Le paramètre ${name} n’accepte pas de modificateur.`, key);
      const v = name === '_include' || name === '_revinclude' ? values[0]! : single(name, values);
      switch (name) {
        case '_count': {
          if (!/^\d{1,7}$/.test(v)) throw invalid('Paramètre _count : entier positif attendu.', '_count');
          const n = Number(v);
          if (n > maxCount) throw invalid(`Paramètre _count : ${maxCount} au plus par page ; suivez les liens « next » pour la suite.`, '_count');
          parsed.count = n;
          break;
        }
        case '_total':
          if (v !== 'none' && v !== 'estimate' && v !== 'accurate') throw invalid('Paramètre _total : none, estimate ou accurate.', '_total');
          parsed.total = v;
          break;
        case '_summary':
          if (v === 'count') parsed.summaryCount = true;
          else if (v !== 'false') throw invalid('Paramètre _summary : seules les valeurs count et false sont prises en charge.', '_summary');
          break;
        case '_elements':
          parsed.elements = parseElements(v);
          break;
        case '_include':
        case '_revinclude': {
          const allowed = includes[type][name === '_include' ? 'include' : 'revinclude'];
          for (const item of values.length > 1 ? values : [v]) {
            if (!allowed.includes(item)) {
              if (strict) throw invalid(`Paramètre ${name}=${item.slice(0, 60)} non pris en charge pour ${type}.`, name);
              continue;
            }
            (name === '_include' ? parsed.include : parsed.revinclude).push(item);
          }
          break;
        }
        case '_format':
          // Also checked before every interaction (routes.ts); here for a form-encoded `_search`.
          checkFormatParam(v);
          break;
        case '_page':
          parsed.page = v;
          continue;
        case '_pretty':
          continue;
      }
      if (name === '_include' || name === '_revinclude') {
        for (const item of name === '_include' ? parsed.include : parsed.revinclude) parsed.used.push([name, item]);
      } else parsed.used.push([name, v]);
      continue;
    }
    const def = defs[name];
    if (!def) {
      if (strict) throw invalid(`Paramètre de recherche inconnu pour ${type} : ${key.slice(0, 60)}.`, key);
      continue;
    }
    if (modifier !== undefined && !(def.modifiers as readonly string[] | undefined)?.includes(modifier)) {
      throw invalid(`Modificateur :${modifier.slice(0, 20)} non pris en charge pour le paramètre ${name}.`, key);
    }
    for (const v of values) {
      const parts = splitValues(v);
      if (parts.length > 100) throw invalid(`Paramètre ${name} : 100 valeurs au plus.`, name);
      switch (def.type) {
        case 'token':
          parsed.criteria.push({ name, type: 'token', values: parts.map((p) => parseToken(p, name)) });
          break;
        case 'string': {
          const words = parts.map((p) => p.trim());
          if (words.some((p) => p === '')) throw invalid(`Paramètre ${name} : valeur vide.`, name);
          parsed.criteria.push({ name, type: 'string', modifier: (modifier as 'exact' | 'contains' | undefined) ?? 'prefix', values: words });
          break;
        }
        case 'reference': {
          const target: ResourceType = name === 'practitioner' ? 'Practitioner' : 'Organization';
          parsed.criteria.push({ name, type: 'reference', values: parts.map((p) => parseReference(p, name, target)) });
          break;
        }
        case 'date':
          parsed.criteria.push({ name, type: 'date', values: parts.map((p) => parseDate(p, name)) });
          break;
      }
      parsed.used.push([key, v]);
    }
  }
  return parsed;
}
