import { Table as DsfrTable, type TableProps } from '@codegouvfr/react-dsfr/Table';

/**
 * The DSFR table, whose scrolling box takes the keyboard focus: on a phone (375 px) DSFR makes the
 * `<table>` scroll sideways, and with no link inside a keyboard could not scroll it (RGAA 12.8,
 * axe `scrollable-region-focusable`). Its caption names it. Every table of the app is this one.
 */
export function Table(props: TableProps) {
  return <DsfrTable ref={keyboardScrollable} {...props} />;
}

function keyboardScrollable(wrapper: HTMLDivElement | null) {
  wrapper?.querySelector('table')?.setAttribute('tabindex', '0');
}
