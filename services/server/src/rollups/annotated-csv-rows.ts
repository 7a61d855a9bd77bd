/**
 * InfluxDB's annotated CSV as rows of named columns, streamed: annotation lines start with `#`,
 * each table has a header line, tables end with a blank line. Only for queries whose columns
 * hold no commas or quotes (times, numbers, tags that passed the topic patterns), so a line
 * splits on commas.
 */
export async function* annotatedCsvRows<C extends string>(
  body: AsyncIterable<Buffer | string>,
  columns: readonly C[],
): AsyncGenerator<Array<Record<C, string>>> {
  let rest = '';
  let at: number[] = [];
  for await (const chunk of body) {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    const batch: Array<Record<C, string>> = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
      if (line.startsWith(',result,')) {
        const header = line.split(',');
        at = columns.map((column) => header.indexOf(column));
        continue;
      }
      if (line.startsWith(',error,')) throw new Error(`InfluxDB: ${line}`);
      const cells = line.split(',');
      const row = {} as Record<C, string>;
      columns.forEach((column, i) => (row[column] = cells[at[i]!] ?? ''));
      batch.push(row);
    }
    if (batch.length > 0) yield batch;
  }
}
