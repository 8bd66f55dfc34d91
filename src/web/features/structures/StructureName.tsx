import { useResource } from '../../api/useResource.ts';
import { structureUrl } from './api.ts';

/**
 * A structure as people know it: its name, with its FINESS number after it ("EHPAD LES TILLEULS
 * (FINESS 690800206)"). Until the directory answers, or if it does not know the number, the
 * number alone.
 */
export function StructureName({ finess }: { finess: string }) {
  const structure = useResource<{ name: string }>(structureUrl(finess));
  if (structure.status !== 'success') return <>FINESS {finess}</>;
  return (
    <>
      {structure.data.name} (FINESS {finess})
    </>
  );
}
