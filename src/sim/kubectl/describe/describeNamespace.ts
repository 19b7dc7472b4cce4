import type { Namespace } from '../../model/namespace'
import { rfc1123z } from './fieldFormat'
import { printAnnotationsMultiline, printLabelsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, tabbedString } from './prefixWriter'

interface NamespaceCondition { readonly type: string; readonly status: string; readonly lastTransitionTime?: string; readonly reason?: string; readonly message?: string }

/**
 * kubectl describe namespace, after describe.go's describeNamespace. The simulation has no ResourceQuota or
 * LimitRange objects, so both sections say there are none, as kubectl does for a namespace without them; a namespace
 * has no Events section.
 */
export function describeNamespace(ns: Namespace): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ns.metadata.name}\n`)
    printLabelsMultiline(w, 'Labels', ns.metadata.labels)
    printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations)
    w.write(LEVEL_0, `Status:\t${ns.status.phase}\n`)
    const conditions = (ns.status as { conditions?: readonly NamespaceCondition[] }).conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n')
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n')
      for (const c of conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`)
    }
    w.write(LEVEL_0, '\n')
    w.write(LEVEL_0, 'No resource quota.\n')
    w.write(LEVEL_0, '\n')
    w.write(LEVEL_0, 'No LimitRange resource.\n')
  })
}
