import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useState } from 'react';
import { ApiError, type FieldErrors, NetworkError, postJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { fieldStates } from '../../app/fieldStates.ts';
import { type SupportReceipt, supportApi } from './api.ts';
import { helpTexts } from './texts.ts';

const t = helpTexts.contact;
type Audience = keyof typeof t.audiences;
type Topic = keyof typeof t.topics;

const empty = { audience: '' as Audience | '', topic: '' as Topic | '', name: '', email: '', finess: '', subject: '', message: '' };

/** The contact form: files a support request, shows its reference (docs/support.md). */
export function ContactPage() {
  usePageTitle(t.pageTitle);
  const contact = useResource<{ email: string }>(supportApi.contact);
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [receipt, setReceipt] = useState<SupportReceipt | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    for (const k of ['audience', 'topic', 'name', 'email', 'subject', 'message'] as const) if (!form[k].trim()) missing[k] = t.required;
    setErrors(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      setReceipt(await postJson<SupportReceipt>(supportApi.requests(), { ...form, finess: form.finess.trim() || null }));
      setForm(empty);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setFailure(err instanceof ApiError || err instanceof NetworkError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const field = fieldStates<keyof typeof empty>(errors);

  return (
    <div className={fr.cx('fr-grid-row')}>
      <div className={fr.cx('fr-col-12', 'fr-col-lg-8')}>
        <h1>{t.title}</h1>
        <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
        <div aria-live="polite">
          {receipt && (
            <Alert as="h2" className={fr.cx('fr-mb-3w')} severity="success" title={t.sentTitle} description={t.sent(receipt.reference)} />
          )}
          {failure && <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={failure} />}
        </div>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Select label={t.audience} {...field('audience')} nativeSelectProps={{ value: form.audience, onChange: set('audience'), required: true }}>
            <option value="" disabled>{t.choose}</option>
            {Object.entries(t.audiences).map(([v, label]) => (
              <option key={v} value={v}>{label}</option>
            ))}
          </Select>
          <Select label={t.topic} {...field('topic')} nativeSelectProps={{ value: form.topic, onChange: set('topic'), required: true }}>
            <option value="" disabled>{t.choose}</option>
            {Object.entries(t.topics).map(([v, label]) => (
              <option key={v} value={v}>{label}</option>
            ))}
          </Select>
          <Input label={t.name} {...field('name')} nativeInputProps={{ value: form.name, onChange: set('name'), autoComplete: 'name', required: true, maxLength: 200 }} />
          <Input label={t.email} hintText={t.emailHint} {...field('email')} nativeInputProps={{ type: 'email', value: form.email, onChange: set('email'), autoComplete: 'email', required: true, maxLength: 320 }} />
          <Input label={t.finess} hintText={t.finessHint} {...field('finess')} nativeInputProps={{ value: form.finess, onChange: set('finess'), maxLength: 9, autoComplete: 'off' }} />
          <Input label={t.subject} {...field('subject')} nativeInputProps={{ value: form.subject, onChange: set('subject'), required: true, maxLength: 200 }} />
          <Input label={t.message} hintText={t.messageHint} textArea {...field('message')} nativeTextAreaProps={{ value: form.message, onChange: set('message'), required: true, rows: 8, maxLength: 5000 }} />
          <p className={fr.cx('fr-text--sm')}>{t.privacy}</p>
          <Button type="submit" disabled={busy}>{t.submit}</Button>
        </form>
        {contact.status === 'success' && <p className={fr.cx('fr-mt-4w')}>{t.direct(contact.data.email)}</p>}
      </div>
    </div>
  );
}
