/** Rows as aligned columns, the first row being the header, one a line. */
export function printTable(table: readonly (readonly string[])[]): string {
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  return table
    .map(
      (row) =>
        `${row
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
