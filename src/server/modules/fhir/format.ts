import { FhirError } from './outcome.ts';

/**
 * The one format of the FHIR API: JSON. The same rule for every interaction (metadata, read,
 * search): `_format` other than JSON, or an `Accept` that allows XML only, is 406 (FHIR R4 http
 * §3.1.0.1.7 "Content Types and encodings").
 */
const jsonFormats = new Set(['json', 'application/json', 'application/fhir+json', 'fhir+json']);

const notJson = () => new FhirError(406, 'not-supported', 'Seul le format JSON (application/fhir+json) est disponible.', '_format');

/**
 * `_format` as clients send it: an unencoded `+` reads as a space (`application/fhir json`, which
 * HAPI and other servers accept too), media type parameters (`; charset=utf-8`) allowed.
 */
export function isJsonFormat(value: string): boolean {
  const type = value.split(';')[0]!.trim().toLowerCase().replace(/ +/g, '+');
  return jsonFormats.has(type);
}

/** Throws 406 when `_format` names anything but JSON. */
export function checkFormatParam(value: string | string[] | undefined) {
  for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) if (!isJsonFormat(v)) throw notJson();
}

/**
 * Throws 406 when `Accept` allows XML formats only (`application/fhir+xml`, `application/xml`,
 * `text/xml`); `*\/*`, JSON types, and any list that is not XML-only are served JSON.
 */
export function checkAccept(accept: string | undefined) {
  if (!accept?.trim()) return;
  const ranges = accept
    .split(',')
    .map((r) => r.split(';'))
    .filter((parts) => !parts.slice(1).some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p)))
    .map((parts) => parts[0]!.trim().toLowerCase())
    .filter(Boolean);
  if (ranges.length > 0 && ranges.every((r) => /[/+]xml$/.test(r))) throw notJson();
}
