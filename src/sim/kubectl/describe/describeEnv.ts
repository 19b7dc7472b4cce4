import type { Container, EnvVar, Pod } from '../../model/pod'
import { LEVEL_2, LEVEL_3, type PrefixWriter } from './prefixWriter'
import { milliValue, parseQuantity, wholeValue } from './quantity'

/** EnvVarResolverFunc: the value of a fieldRef env var, as far as kubectl can work it out from the pod. */
export type EnvResolver = (fieldPath: string) => string

interface ValueFrom {
  readonly fieldRef?: { readonly apiVersion?: string; readonly fieldPath: string }
  readonly resourceFieldRef?: { readonly resource: string; readonly divisor?: string | number }
  readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean }
  readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean }
}

interface EnvFromSource {
  readonly prefix?: string
  readonly configMapRef?: { readonly name: string; readonly optional?: boolean }
  readonly secretRef?: { readonly name: string; readonly optional?: boolean }
}

/** fieldpath.FormatMap: k="v" lines, sorted (Go's %q, which JSON's quoting matches for plain text). */
const formatMap = (m: Readonly<Record<string, string>> | undefined) =>
  Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n')

/**
 * EnvValueRetriever -> fieldpath.ExtractFieldPathAsString: only metadata resolves (name, namespace, uid, labels,
 * annotations, one label or annotation); anything else, spec.nodeName or status.podIP included, is "".
 */
export function podEnvResolver(pod: Pod): EnvResolver {
  return (fieldPath) => {
    const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath)
    if (sub) return (sub[1] === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations)?.[sub[2]!] ?? ''
    switch (fieldPath) {
      case 'metadata.name': return pod.metadata.name
      case 'metadata.namespace': return pod.metadata.namespace
      case 'metadata.uid': return pod.metadata.uid ?? ''
      case 'metadata.labels': return formatMap(pod.metadata.labels)
      case 'metadata.annotations': return formatMap(pod.metadata.annotations)
      default: return ''
    }
  }
}

/** ExtractContainerResourceValue: the container's limit or request in units of the divisor, rounded up. */
function resourceValue(c: Container, ref: NonNullable<ValueFrom['resourceFieldRef']>): string {
  const dot = ref.resource.indexOf('.')
  const group = ref.resource.slice(0, dot)
  const name = ref.resource.slice(dot + 1)
  const list = (group === 'limits' ? c.resources?.limits : c.resources?.requests) ?? {}
  const q = parseQuantity(list[name])
  const divisor = parseQuantity(ref.divisor === undefined || parseQuantity(ref.divisor).nano === 0n ? 1 : ref.divisor)
  // convertResourceCPUToString divides millicores; memory and the others whole units.
  return String(name === 'cpu' ? Math.ceil(milliValue(q) / milliValue(divisor)) : Math.ceil(wholeValue(q) / wholeValue(divisor)))
}

/** describeContainerEnvVars: each variable, its value's later lines under it, or where its value comes from. */
export function describeEnvVars(w: PrefixWriter, c: Container, resolve: EnvResolver | undefined): void {
  const env: readonly EnvVar[] = c.env ?? []
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`)
  for (const e of env) {
    const from = e.valueFrom as ValueFrom | undefined
    if (!from) {
      ;(e.value ?? '').split('\n').forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`))
    } else if (from.fieldRef) {
      const value = resolve ? resolve(from.fieldRef.fieldPath) : ''
      // The API server defaults a fieldRef's apiVersion to v1 (SetDefaults_ObjectFieldSelector).
      w.write(LEVEL_3, `${e.name}:\t${value} (${from.fieldRef.apiVersion || 'v1'}:${from.fieldRef.fieldPath})\n`)
    } else if (from.resourceFieldRef) {
      let value = resourceValue(c, from.resourceFieldRef)
      const resource = from.resourceFieldRef.resource
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable'
      w.write(LEVEL_3, `${e.name}:\t${value} (${resource})\n`)
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional === true}\n`)
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional === true}\n`)
    }
  }
}

/** describeContainerEnvFrom: each ConfigMap or Secret the container takes all its keys from. */
export function describeEnvFrom(w: PrefixWriter, c: Container): void {
  const sources = (c['envFrom'] as readonly EnvFromSource[] | undefined) ?? []
  w.write(LEVEL_2, `Environment Variables from:${sources.length === 0 ? '\t<none>' : ''}\n`)
  for (const e of sources) {
    const ref = e.configMapRef ?? e.secretRef
    const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : ''
    const optional = ref?.optional === true
    w.write(LEVEL_3, e.prefix ? `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n` : `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`)
  }
}
