import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button, type ButtonProps } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { appTexts } from './texts.ts';

export interface ConfirmActionProps {
  /** Stable and unique on the page (the modal's id is derived from it). */
  id: string;
  /** The button that opens the confirmation. */
  label: ReactNode;
  priority?: ButtonProps['priority'];
  size?: ButtonProps['size'];
  iconId?: ButtonProps['iconId'];
  /** Text read after the label by screen readers only (whose habilitation, which contract…). */
  srSuffix?: string;
  /** The question asked ("Retirer l’habilitation de Jeanne Martin ?"). */
  title: string;
  /** What will happen, in plain words, and whether it can be undone. */
  consequence: ReactNode;
  /** Extra fields the action needs (a reason, a date), shown under the consequence. */
  children?: ReactNode;
  confirmLabel: string;
  /**
   * Runs the action. Throwing shows the error in the modal (which stays open); returning `false`
   * keeps the modal open too (a field of `children` is invalid and shows its own error).
   */
  onConfirm: () => Promise<boolean | void>;
  /** Called once the modal is closed after a successful action (e.g. to move focus to the result). */
  onDone?: () => void;
  /** Called when the modal closes, confirmed or not (e.g. to reset the fields of `children`). */
  onClose?: () => void;
  /** Checked before opening (e.g. a reason typed beside the trigger); `false` keeps the modal closed. */
  guard?: () => boolean;
}

/**
 * One irreversible action behind a DSFR confirmation modal: the trigger opens it, the modal
 * states the consequence, "Annuler" (or Échap) closes it and DSFR puts focus back on the trigger.
 */
export function ConfirmAction(props: ConfirmActionProps) {
  const modal = useMemo(() => createModal({ id: `confirm-${props.id}`, isOpenedByDefault: false }), [props.id]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  useIsModalOpen(modal, {
    onConceal: () => {
      setFailure(null);
      props.onClose?.();
      // Opened by script (guarded): DSFR does not know the trigger, so focus goes back here.
      if (props.guard) setTimeout(() => triggerRef.current?.focus(), 0);
    },
  });

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const result = await props.onConfirm();
      if (result === false) return;
      modal.close();
      // After DSFR has given focus back to the trigger, the page may move it to the outcome.
      if (props.onDone) setTimeout(props.onDone, 50);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        ref={triggerRef}
        priority={props.priority}
        size={props.size}
        iconId={props.iconId as never}
        nativeButtonProps={props.guard ? { type: 'button', 'aria-haspopup': 'dialog' } : { ...modal.buttonProps, type: 'button' }}
        onClick={props.guard ? () => props.guard!() && modal.open() : undefined}
      >
        {props.label}
        {props.srSuffix && <span className={fr.cx('fr-sr-only')}> — {props.srSuffix}</span>}
      </Button>
      <modal.Component
        title={props.title}
        titleAs="h2"
        buttons={[
          { children: appTexts.confirm.cancel, priority: 'secondary', doClosesModal: true },
          { children: busy ? appTexts.confirm.working : props.confirmLabel, doClosesModal: false, disabled: busy, onClick: () => void confirm() },
        ]}
      >
        <div aria-live="polite">{failure && <Alert severity="error" small description={failure} className={fr.cx('fr-mb-2w')} />}</div>
        <div className={fr.cx('fr-mb-2w')}>{props.consequence}</div>
        {props.children}
      </modal.Component>
    </>
  );
}
