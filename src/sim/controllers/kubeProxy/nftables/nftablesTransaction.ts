import type { NftElement, NftMap, NftOperation, NftSet, NftTable } from '../../../model/nftables'
import { verdictText } from './nftRules'
import { syncOperations } from './nftablesTable'

/** Go's %q for the plain comments kube-proxy writes. */
const quote = (s: string) => JSON.stringify(s)

/** One element inside braces, as knftables writes it: `KEY [comment "..."] [: VALUE]`. */
export function elementSource(e: NftElement): string {
  return `${e.key.join(' . ')}${e.comment !== undefined ? ` comment ${quote(e.comment)}` : ''}${e.value ? ` : ${verdictText(e.value)}` : ''}`
}

/** The `{ type ... ; flags ... ; timeout Ns ; comment "..." ; }` of an `add set` or `add map`. */
function containerSource(set: Omit<NftSet | NftMap, 'elements'>): string {
  const parts = [`type ${set.type.join(' . ')}${set.kind === 'map' ? ' : verdict' : ''} ;`]
  if (set.flags?.length) parts.push(`flags ${set.flags.join(',')} ;`)
  if (set.timeout !== undefined) parts.push(`timeout ${set.timeout}s ;`)
  if (set.comment !== undefined) parts.push(`comment ${quote(set.comment)} ;`)
  return `{ ${parts.join(' ')} }`
}

/** One operation as a line of the transaction, knftables' writeOperation (priorities as numbers, comments quoted). */
export function operationLine(op: NftOperation, family = 'ip', table = 'kube-proxy'): string {
  const where = `${family} ${table}`
  switch (op.object) {
    case 'table':
      return `add table ${where}${op.comment !== undefined ? ` { comment ${quote(op.comment)} ; }` : ''}`
    case 'rule':
      return `add rule ${where} ${op.chain} ${op.rule.source}${op.rule.comment !== undefined ? ` comment ${quote(op.rule.comment)}` : ''}`
    case 'element':
      return `add element ${where} ${op.set} { ${elementSource(op.element)} }`
    default:
      if (op.verb !== 'add') return `${op.verb} ${op.object} ${where} ${op.name}`
      if (op.object === 'chain') {
        const { name, base, comment } = op.chain
        const body = [base ? `type ${base.type} hook ${base.hook} priority ${base.priority} ;` : '', comment !== undefined ? `comment ${quote(comment)} ;` : ''].filter(Boolean)
        return `add chain ${where} ${name}${body.length > 0 ? ` { ${body.join(' ')} }` : ''}`
      }
      return `add ${op.object} ${where} ${op.set.name} ${containerSource(op.set)}`
  }
}

/** A transaction that rebuilds `table` from nothing, for a table no sync built: objects, then rules, then elements. */
function rebuildOperations(table: NftTable): NftOperation[] {
  const ops: NftOperation[] = [{ verb: 'add', object: 'table', ...(table.comment !== undefined ? { comment: table.comment } : {}) }]
  for (const { elements: _, ...set } of table.sets) ops.push({ verb: 'add', object: set.kind, set })
  for (const { rules: _, ...chain } of table.chains) ops.push({ verb: 'add', object: 'chain', chain }, { verb: 'flush', object: 'chain', name: chain.name })
  for (const c of table.chains) for (const rule of c.rules) ops.push({ verb: 'add', object: 'rule', chain: c.name, rule })
  for (const s of table.sets) for (const element of s.elements) ops.push({ verb: 'add', object: 'element', set: s.name, element })
  return ops
}

/**
 * The `nft -f -` input kube-proxy sends on a full sync, in knftables' syntax: `add table ip kube-proxy { comment
 * "rules for kube-proxy" ; }`, then its chains, rules, sets, maps and elements in the order syncProxyRules adds them.
 */
export function nftablesTransaction(table: NftTable): string {
  const ops = syncOperations(table) ?? rebuildOperations(table)
  let out = ''
  for (const op of ops) out += `${operationLine(op, table.family, table.name)}\n`
  return out
}
