/**
 * The single error vocabulary of RPPS+. A domain error carries a stable `code` (which becomes
 * the problem `type`), an HTTP status and a French `detail` for the UI. Tests assert the code,
 * never the wording. Details must never contain personal data (état civil, contact).
 */
export interface FieldError {
  /** JSON pointer into the request, e.g. `/body/email` or `/params/finess`. */
  pointer: string;
  detail: string;
}

export class DomainError extends Error {
  override name = 'DomainError';
  /** RFC 9457 extension members added to the problem (e.g. the `candidates` of a duplicate). */
  extensions?: Record<string, unknown>;
  readonly code: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldError[];
  constructor(code: string, status: number, detail: string, errors: FieldError[] = []) {
    super(`${code}: ${detail}`);
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.errors = errors;
  }
}

export class NotFoundError extends DomainError {
  constructor(detail: string, code = 'not-found') {
    super(code, 404, detail);
  }
}

export class ValidationError extends DomainError {
  constructor(detail: string, errors: FieldError[] = []) {
    super('validation', 400, detail, errors);
  }
}

/**
 * Declares a problem type — a named domain error whose code, status and French detail are fixed —
 * in one line: `export class NoActiveContractError extends declareProblem('no-active-contract', 409, '…') {}`.
 * `errors` names the fields at fault when there are some. A problem whose detail takes values (a
 * date, a count, a pointer) extends DomainError with its own constructor.
 */
export function declareProblem(code: string, status: number, detail: string, errors: readonly FieldError[] = []) {
  return class extends DomainError {
    constructor() {
      super(code, status, detail, errors.map((e) => ({ ...e })));
    }
  };
}

export const problemTypeBase = 'urn:rpps-plus:problem:';
export const problemType = (code: string) => `${problemTypeBase}${code}`;
