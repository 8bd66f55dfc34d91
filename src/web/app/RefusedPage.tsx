import { Alert } from '@codegouvfr/react-dsfr/Alert';

/** A page the signed-in person may not see: its title and why (the server refuses the data too). */
export function RefusedPage({ title, detail }: { title: string; detail: string }) {
  return (
    <>
      <h1>{title}</h1>
      <Alert severity="error" small description={detail} />
    </>
  );
}
