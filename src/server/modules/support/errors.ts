import { DomainError, declareProblem } from '../../errors.ts';

export class SupportRequestNotFoundError extends declareProblem('support-request-not-found', 404, 'Aucune demande d’assistance ne correspond à cet identifiant.') {}

export class SupportRequestAnsweredError extends declareProblem('support-request-answered', 409, 'Cette demande d’assistance a déjà reçu une réponse.') {}

export class TooManySupportRequestsError extends DomainError {
  constructor(perHour: number) {
    super('too-many-support-requests', 429, `Vous avez envoyé trop de demandes : au plus ${perHour} par heure. Réessayez plus tard ou écrivez directement au service client.`);
  }
}
