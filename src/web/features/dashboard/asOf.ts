/** "4 décembre 2026 à 14 h 05", Paris time. */
export function asOfText(iso: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day} ${parts.month} ${parts.year} à ${Number(parts.hour)} h ${parts.minute}`;
}
