export interface BarRow {
  readonly key: string
  /** The row's label; a pod name is cut at its start, where the pods of one ReplicaSet are alike. */
  readonly label: string
  readonly podName?: boolean
  readonly note?: string
  readonly count: number
  /** Where a fair dice would put it, drawn as a dashed line. */
  readonly expected?: number
}

/** A table of counts with a bar each, scaled to the largest count or expectation. */
export function BarTable({ label, headers, rows }: { label: string; headers: readonly [string, string]; rows: readonly BarRow[] }) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.count, r.expected ?? 0)))
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{headers[0]}</th>
          <th scope="col">{headers[1]}</th>
          <th scope="col">
            <span className="visually-hidden">bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <th scope="row" title={r.key} {...(r.podName ? { 'data-pod-name': '' } : {})}>
              <bdi>{r.label}</bdi>
              {r.note ? <small>{r.note}</small> : null}
            </th>
            <td className="num">{r.count}</td>
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(100 * r.count) / max}%` }} />
              {r.expected !== undefined ? <span className="expected" style={{ left: `${(100 * r.expected) / max}%` }} title={`expected ${r.expected.toFixed(1)}`} /> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
