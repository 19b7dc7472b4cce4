import type { Hop } from '../../sim'
import { rewriteName, stepName } from './hopText'
import { KernelConsulted } from './KernelConsulted'
import { RuleWalk } from './RuleWalk'
import type { HopTiming } from './timing'
import { ipOf, useClusterIPs } from './useClusterIPs'

/** One side of the header; a field that differs from the other side is marked, in colour and in words. */
function HeaderRow({ label, side, other, kind, rewriteAt = 0 }: { label: string; side: Hop['before']; other: Hop['before']; kind: 'before' | 'after'; rewriteAt?: number }) {
  const field = (name: 'src' | 'dst') => {
    const differs = side[name] !== other[name]
    return (
      // A rewritten field lights up when the packet's header is rewritten on the graph (after its rule walk).
      <td className={differs ? `field-changed ${name}-${kind}` : undefined} data-field={name} style={differs && kind === 'after' ? { animationDelay: `${rewriteAt}ms` } : undefined}>
        {side[name]}
        {differs && kind === 'after' ? <span className="visually-hidden"> (rewritten)</span> : null}
      </td>
    )
  }
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{side.proto}</td>
      {field('src')}
      {field('dst')}
    </tr>
  )
}

/** The packet at one hop: where, its header before and after (rewritten fields marked), what the kernel consulted, the walk. */
export function HopDetails({ hop, index, count, timing, running }: { hop: Hop; index: number; count: number; timing: HopTiming; running: boolean }) {
  const rewrite = rewriteName(hop)
  const walked = (hop.evaluated?.length ?? 0) > 0
  const clusterIPs = useClusterIPs()
  // Said where the packet is still addressed to a Service's virtual IP (the hops before its DNAT).
  const virtual = hop.phase !== 'reply' ? clusterIPs.get(ipOf(hop.before.dst)) : undefined
  return (
    <section className="hop-details" aria-label="Packet at this hop" data-hop={index}>
      <div className="hop-summary" tabIndex={0} aria-label="Header and what happened">
        <h3>
          Hop {index + 1} of {count}: {stepName(hop)} at {hop.at} <span className="hop-phase">({hop.phase})</span>
          {rewrite ? <span className="rewrite-badge">{rewrite}</span> : null}
        </h3>
        <table className="header-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Header</span>
              </th>
              <th scope="col">proto</th>
              <th scope="col">source</th>
              <th scope="col">destination</th>
            </tr>
          </thead>
          <tbody>
            <HeaderRow label="before" side={hop.before} other={hop.after} kind="before" />
            <HeaderRow key={`${index}-${running}`} label="after" side={hop.after} other={hop.before} kind="after" rewriteAt={running ? timing.rewriteAt : 0} />
          </tbody>
        </table>
        <p className="hop-note">{hop.note}</p>
        {virtual ? (
          <p className="hop-virtual">
            <code>{ipOf(hop.before.dst)}</code> is the ClusterIP of {virtual}: it is on no interface of any node or pod; only the rules kube-proxy wrote know it.
          </p>
        ) : null}
        {hop.chain && !walked && !hop.kernel ? (
          <p className="hop-chain">
            <span className="label">chain</span> <code>{hop.chain}</code>
          </p>
        ) : null}
        {hop.rule && !walked && !hop.kernel ? (
          <p className="hop-rule">
            <span className="label">rule</span> <code>{hop.rule}</code>
          </p>
        ) : null}
      </div>
      {/* Beside the packet, what the kernel consulted, structured; over a rule walk, which shows the chain and marks the rule that fired. */}
      {hop.kernel || walked ? (
        // Focusable: it scrolls when what the kernel consulted and the walk are taller than the strip.
        <div className="hop-kernel-side" tabIndex={0} role="group" aria-label="The kernel at this hop">
          {hop.kernel ? <KernelConsulted kernel={hop.kernel} showChains={!walked} showRule /> : null}
          <RuleWalk hop={hop} perRule={timing.perRule} stepped={timing.steppedRules} running={running} />
        </div>
      ) : null}
    </section>
  )
}
