import { DomainError, declareProblem } from '../errors.ts';

/** No valid session or API key, on a route that needs one. */
export class UnauthenticatedError extends DomainError {
  constructor(detail = 'Vous devez vous connecter pour accéder à cette ressource.') {
    super('unauthenticated', 401, detail);
  }
}

/** An API key was presented but is unknown, revoked or expired (which one is not told). */
export class InvalidApiKeyError extends declareProblem('invalid-api-key', 401, 'La clé d’API présentée n’est pas valide, a expiré ou a été révoquée.') {}

export class InsufficientScopeError extends DomainError {
  constructor(scope: string) {
    super('insufficient-scope', 403, `La clé d’API n’a pas le droit « ${scope} » nécessaire à cette opération.`);
  }
}

/** A browser request changing state without the CSRF token of its session. */
export class CsrfError extends declareProblem('csrf-token-invalid', 403, 'La requête a été refusée : jeton de sécurité (CSRF) absent ou invalide. Rechargez la page puis réessayez.') {}

export class ForbiddenError extends DomainError {
  constructor(detail = 'Vous n’avez pas les droits nécessaires pour cette opération.', code = 'forbidden') {
    super(code, 403, detail);
  }
}

export class TooManyLoginAttemptsError extends declareProblem('too-many-login-attempts', 429, 'Trop de tentatives de connexion. Patientez une minute puis réessayez.') {}
