import { printTable } from '../sim/kubectl/printers'
import type { KubeObject } from '../sim/model/meta'
import { fromTimestamp, humanDuration } from '../sim/runtime/time'
import type { TimeShift } from './timeShift'

/** `?includeObject=`: what each row carries besides its cells (Metadata by default, as the API server does). */
export type IncludeObject = 'None' | 'Metadata' | 'Object'

/** One column of a meta.k8s.io/v1 Table; priority 1 columns are what `-o wide` adds. */
export interface TableColumn {
  readonly name: string
  readonly type: string
  readonly format: string
  readonly description: string
  readonly priority: number
}

// The API server's column names, where upper-casing them back is not enough to find them (kubectl prints them upper-cased).
const COLUMN_NAMES: Readonly<Record<string, string>> = {
  IP: 'IP', 'PORT(S)': 'Port(s)', 'CLUSTER-IP': 'Cluster-IP', 'EXTERNAL-IP': 'External-IP', 'INTERNAL-IP': 'Internal-IP', 'OS-IMAGE': 'OS-Image',
  'KERNEL-VERSION': 'Kernel-Version', 'CONTAINER-RUNTIME': 'Container-Runtime', 'UP-TO-DATE': 'Up-to-date', ADDRESSTYPE: 'AddressType',
}
const INTEGER_COLUMNS = new Set(['Up-to-date', 'Available', 'Desired', 'Current', 'Secrets', 'Data', 'Count'])
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated.',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is represented in RFC3339 form and is in UTC.',
}

const titleCase = (header: string) => COLUMN_NAMES[header] ?? header.split(' ').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(' ')

function column(header: string, priority: number): TableColumn {
  const name = titleCase(header)
  return { name, type: INTEGER_COLUMNS.has(name) ? 'integer' : 'string', format: name === 'Name' ? 'name' : '', description: DESCRIPTIONS[name] ?? '', priority }
}

/** The row's `object`: the object's metadata only (PartialObjectMetadata), the whole object, or nothing. */
function rowObject(o: KubeObject, include: IncludeObject, shift: TimeShift): object | undefined {
  if (include === 'None') return undefined
  const served = shift.toWall(o)
  if (include === 'Object') return served
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: served.metadata }
}

/** The columns and each object's cells, as the API server's printers give them. */
export interface TableBody {
  readonly columns: readonly TableColumn[]
  readonly cells: readonly (readonly (string | number)[])[]
}

/** kubectl's columns for Events (the API server's event printer): wide ones carry priority 1. */
function eventTable(objects: readonly KubeObject[], now: number): TableBody {
  const headers: [string, number][] = [['LAST SEEN', 0], ['TYPE', 0], ['REASON', 0], ['OBJECT', 0], ['SUBOBJECT', 1], ['SOURCE', 1], ['MESSAGE', 0], ['FIRST SEEN', 1], ['COUNT', 1], ['NAME', 1]]
  const since = (t: unknown) => (typeof t === 'string' ? humanDuration(now - fromTimestamp(t)) : '<unknown>')
  const cells = objects.map((e) => {
    const involved = (e['involvedObject'] ?? e['regarding'] ?? {}) as { kind?: string; name?: string }
    const source = (e['source'] ?? e['deprecatedSource'] ?? {}) as { component?: string }
    return [since(e['lastTimestamp'] ?? e['deprecatedLastTimestamp']), String(e['type'] ?? ''), String(e['reason'] ?? ''), `${(involved.kind ?? '').toLowerCase()}/${involved.name ?? ''}`, '', source.component ?? '', String(e['message'] ?? e['note'] ?? ''), since(e['firstTimestamp'] ?? e['deprecatedFirstTimestamp']), Number(e['count'] ?? e['deprecatedCount'] ?? 1), e.metadata.name]
  })
  return { columns: headers.map(([h, p]) => column(h, p)), cells }
}

/**
 * The table kubectl prints for objects of a kind, from the engine's printers: every column, the wide ones (what
 * `-o wide` adds) with priority 1, so that kubectl shows exactly what it shows against a real cluster. The NAMESPACE
 * column of `-A` and the LABELS of `--show-labels` are kubectl's own, from each row's metadata.
 */
export function tableBody(kind: string, objects: readonly KubeObject[], now: number): TableBody {
  if (kind === 'Event') return eventTable(objects, now)
  const narrow = printTable(kind, [], now).headers.length
  const wide = printTable(kind, objects, now, { wide: true })
  const columns = wide.headers.map((h, i) => column(h, i < narrow ? 0 : 1))
  const cells = wide.rows.map((row) => row.map((c, i) => (columns[i]!.type === 'integer' && /^\d+$/.test(c) ? Number(c) : c)))
  return { columns, cells }
}

/** A meta.k8s.io/v1 Table: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, as kubectl get asks for. */
export function toTable(body: TableBody, objects: readonly KubeObject[], include: IncludeObject, shift: TimeShift, meta: { resourceVersion: string; continue?: string }, withColumns = true): object {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    ...(withColumns ? { columnDefinitions: body.columns } : { columnDefinitions: null }),
    rows: objects.map((o, i) => {
      const object = rowObject(o, include, shift)
      return { cells: body.cells[i], ...(object ? { object } : {}) }
    }),
  }
}
