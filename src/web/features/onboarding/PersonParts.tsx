import { Input } from '@codegouvfr/react-dsfr/Input';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import type { fieldStates } from '../../app/fieldStates.ts';
import { onboardingTexts } from './texts.ts';

/** The parts the RL's habilitation and mandate sections share. */

/**
 * Who is habilitated or designated: IDNPS, names and e-mail, as the RL types them (the same
 * fields, names and checks for a gestionnaire and a mandataire).
 */
export function PersonFields({ field }: { field: ReturnType<typeof fieldStates<string>> }) {
  const h = onboardingTexts.habilitations;
  const r = onboardingTexts.request;
  return (
    <>
      <Input label={h.idnps} hintText={h.idnpsHint} {...field('idnps')} nativeInputProps={{ name: 'idnps', autoComplete: 'off', required: true }} />
      <Input label={r.familyName} {...field('familyName')} nativeInputProps={{ name: 'familyName', autoComplete: 'off', required: true }} />
      <Input label={r.givenName} {...field('givenName')} nativeInputProps={{ name: 'givenName', autoComplete: 'off', required: true }} />
      <Input label={r.email} hintText={r.emailHint} {...field('email')} nativeInputProps={{ name: 'email', type: 'email', autoComplete: 'off', required: true }} />
    </>
  );
}

/**
 * Ends what a person holds (a gestionnaire's habilitation, a mandate): a small button asking first
 * in the confirmation modal, which names the person and states the consequence.
 */
export function RevokeAction(props: {
  id: string;
  who: string;
  texts: { revoke: string; revokeTitle: (who: string) => string; revokeConsequence: string };
  onConfirm: () => Promise<unknown>;
  onDone: () => void;
}) {
  const { id, who, texts } = props;
  return (
    <ConfirmAction
      id={id}
      size="small"
      priority="tertiary"
      label={texts.revoke}
      srSuffix={who}
      title={texts.revokeTitle(who)}
      consequence={<p>{texts.revokeConsequence}</p>}
      confirmLabel={texts.revoke}
      onConfirm={async () => void (await props.onConfirm())}
      onDone={props.onDone}
    />
  );
}
