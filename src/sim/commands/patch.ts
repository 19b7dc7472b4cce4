import type { Engine } from '../engine'
import { builtinKind, pluralName } from '../model/kinds'
import { keyOf, type KubeObject } from '../model/meta'
import { isSimulatedKind } from '../state'
import { apply } from './apply'
import { kindOf, noResourceType } from './deleteObject'
import { failed, type CommandResult } from './results'

/** RFC 7386 JSON merge patch: objects merge key by key, `null` removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {}
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

/**
 * kubectl label, annotate and rollout restart: a merge patch of the live object, admitted and written like any update
 * (labels and annotations exactly as patched; what the API server owns, identity and status, stays its own).
 */
export function patchObject(engine: Engine, resource: string, namespace: string | undefined, name: string, patch: object): CommandResult {
  const kind = kindOf(engine.state, resource)
  if (!kind) return failed([{ path: '', message: noResourceType(resource) }])
  const info = builtinKind(kind)
  const key = keyOf(info && !info.namespaced ? undefined : (namespace ?? 'default'), name)
  const live = engine.rt.api.lookup(engine.state, kind, key)
  if (!live) return failed([{ object: `${kind} ${key}`, path: 'metadata.name', message: `Error from server (NotFound): ${pluralName(kind)} "${name}" not found` }])
  const merged = mergePatch(live, patch) as KubeObject
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, generation: _g, managedFields: _mf, ...metadata } = merged.metadata as KubeObject['metadata'] & { managedFields?: unknown }
  const { status: _status, ...object } = merged as KubeObject & { status?: unknown }
  const result = apply(engine, { ...object, metadata }, 'replace')
  return result.ok ? { ...result, applied: result.applied.map((a) => ({ ...a, simulated: isSimulatedKind(kind) })) } : result
}
