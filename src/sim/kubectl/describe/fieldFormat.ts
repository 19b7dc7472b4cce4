import { controllerOf, type ObjectMeta } from '../../model/meta'
import { CLUSTER_EPOCH_MS, fromTimestamp, humanDuration } from '../../runtime/time'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number) => String(n).padStart(2, '0')

/**
 * time.RFC1123Z, "Mon, 05 Jan 2026 09:00:00 +0000", of an API timestamp. kubectl prints in its own local zone; ours
 * is UTC, as in a container. An absent time prints as Go's zero time does.
 */
export function rfc1123z(timestamp: string | undefined): string {
  if (!timestamp) return 'Mon, 01 Jan 0001 00:00:00 +0000'
  const d = new Date(CLUSTER_EPOCH_MS + fromTimestamp(timestamp))
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} +0000`
}

/** duration.HumanDuration, negatives included: up to a second ahead is "0s", further ahead "<invalid>". */
export function goHumanDuration(ms: number): string {
  if (ms < 0) return Math.trunc(ms / 1000) < -1 ? '<invalid>' : '0s'
  return humanDuration(ms)
}

/** translateTimestampSince: the age of a metav1.Time (seconds precision), "<unknown>" when unset. */
export function timestampSince(timestamp: string | undefined, now: number): string {
  return timestamp ? goHumanDuration(now - fromTimestamp(timestamp)) : '<unknown>'
}

/** printBool: "True" / "False". */
export const printBool = (v: boolean): string => (v ? 'True' : 'False')

/** stringOrNone: "<none>" for the empty string. */
export const stringOrNone = (s: string): string => (s === '' ? '<none>' : s)

/** printController: "Kind/name" of the controller owner reference, "" without one. */
export function controllerText(meta: ObjectMeta): string {
  const ref = controllerOf(meta)
  return ref ? `${ref.kind}/${ref.name}` : ''
}

/** The "Kind namespace/name" (or "Kind name") that SimEvent.object names an object by. */
export function eventObjectName(kind: string, meta: ObjectMeta): string {
  return `${kind} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}`
}
