/**
 * FHIR errors: every failure under /fhir is an OperationOutcome (never problem+json), with the
 * HTTP status the ANS server uses (400, 404, 405, 406, 410, 500).
 */
export type IssueCode = 'invalid' | 'not-found' | 'not-supported' | 'too-costly' | 'exception' | 'processing' | 'throttled' | 'login' | 'forbidden';

export class FhirError extends Error {
  override name = 'FhirError';
  readonly status: number;
  readonly issueCode: IssueCode;
  readonly diagnostics: string;
  readonly expression: string | undefined;
  constructor(status: number, issueCode: IssueCode, diagnostics: string, expression?: string) {
    super(diagnostics);
    this.status = status;
    this.issueCode = issueCode;
    this.diagnostics = diagnostics;
    this.expression = expression;
  }
}

export const invalid = (diagnostics: string, expression?: string) => new FhirError(400, 'invalid', diagnostics, expression);

export function operationOutcome(severity: 'error' | 'warning' | 'information', code: IssueCode, diagnostics: string, expression?: string) {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  };
}
