import { toYaml } from '../manifests/yaml'
import { singularName } from '../model/kinds'
import type { KubeObject } from '../model/meta'
import { jsonPath } from './jsonPath'

/** `-o yaml|json|name|jsonpath=...` of the objects `kubectl get` found: one object alone, several as a List. */
export function printObjects(objects: readonly KubeObject[], output: string, single: boolean): { ok: true; text: string } | { ok: false; error: string } {
  const data = single && objects.length === 1 ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } }
  if (output === 'yaml') return { ok: true, text: toYaml(data) }
  // kubectl's JSON printer indents by four spaces and ends with a newline.
  if (output === 'json') return { ok: true, text: `${JSON.stringify(data, null, 4)}\n` }
  if (output === 'name') return { ok: true, text: objects.map((o) => `${singularName(o.kind, o.apiVersion)}/${o.metadata.name}\n`).join('') }
  const template = output.startsWith('jsonpath=') ? output.slice(9) : output.startsWith('jsonpath-as-json=') ? undefined : undefined
  if (template !== undefined) {
    const r = jsonPath(template, data)
    return r.ok ? { ok: true, text: r.text } : r
  }
  return { ok: false, error: `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml` }
}
