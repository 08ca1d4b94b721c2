import type { ComponentChildren } from 'preact';

export interface Column<T> {
  /** The column's heading; a table whose columns have none gets no header row. */
  header?: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  /** Text from incidents (a branch, a log line) that may be one long word: it wraps anywhere (`.wrap`). */
  wrap?: boolean;
}

/**
 * The dashboard's one table markup for a list: a header row from the columns' headings, one row per item. Rows
 * carry a stable key and whatever attributes the page selects them by (`data-incident`, a class).
 */
export function DataTable<T>(props: {
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T, index: number) => string | number;
  /** `class` and `data-*` attributes of a row. */
  rowAttributes?: (row: T) => Record<string, string>;
  class?: string;
  section?: string;
}) {
  const { columns, rows, rowKey, rowAttributes } = props;
  const headed = columns.some((column) => column.header !== undefined);
  // A table wider than a phone's screen scrolls sideways in its own box (focusable, so a keyboard can scroll it)
  // instead of widening the page and every paragraph with it.
  return (
    <div class="table-scroll" tabIndex={0}>
      <table class={props.class} data-section={props.section}>
        {headed ? (
          <thead>
            <tr>
              {columns.map((column, i) => (
                <th key={i}>{column.header}</th>
              ))}
            </tr>
          </thead>
        ) : null}
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} {...rowAttributes?.(row)}>
              {columns.map((column, i) => (
                <td key={i} class={column.wrap ? 'wrap' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
