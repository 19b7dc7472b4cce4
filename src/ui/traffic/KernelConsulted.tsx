import type { KernelConsult } from '../../sim'
import { facilityText, verdictText } from './hopText'

/** What an ipvsadm, nft or iptables-save line is: the tool that prints the deciding rule in that very form. */
const RULE_TOOL: Record<KernelConsult['facility'], string | undefined> = {
  ipvs: 'ipvsadm -Ln',
  nftables: 'nft list ruleset',
  iptables: 'iptables-save',
  conntrack: undefined,
}

/**
 * What the kernel consulted at one hop, field by field: the facility and table, the chains entered, each lookup in a
 * map, set or IPVS's table ("looked up KEY in MAP → RESULT": one step, where iptables walks a rule per Service), the
 * deciding rule as the node's tool prints it, the verdict and how many rules were evaluated.
 */
export function KernelConsulted({ kernel, showChains, showRule }: { kernel: KernelConsult; showChains: boolean; showRule: boolean }) {
  const tool = RULE_TOOL[kernel.facility]
  return (
    <dl className="hop-kernel" aria-label="What the kernel consulted">
      <dt>kernel</dt>
      <dd>
        <strong>{facilityText(kernel)}</strong>
        {kernel.facility === 'iptables' && kernel.mode !== 'iptables' ? <span className="hop-kernel-mode"> (kube-proxy in {kernel.mode === 'ipvs' ? 'IPVS' : kernel.mode} mode)</span> : null}
      </dd>
      {showChains && kernel.chains?.length ? (
        <>
          <dt>chains</dt>
          <dd>
            <code>{kernel.chains.join(' > ')}</code>
          </dd>
        </>
      ) : null}
      {kernel.lookups?.map((l, i) => (
        <Lookup key={i} lookup={l} />
      ))}
      {showRule && kernel.rule ? (
        <>
          <dt>rule</dt>
          <dd>
            <code className="hop-kernel-rule">{kernel.rule}</code>
            {tool ? <span className="hop-kernel-tool"> (as {tool} prints it)</span> : null}
          </dd>
        </>
      ) : null}
      <dt>verdict</dt>
      <dd>{verdictText(kernel)}</dd>
    </dl>
  )
}

function Lookup({ lookup }: { lookup: NonNullable<KernelConsult['lookups']>[number] }) {
  return (
    <>
      <dt>lookup</dt>
      <dd className="hop-lookup">
        looked up <code>{lookup.key}</code> in <code>{lookup.in}</code> → <code>{lookup.result}</code>
      </dd>
    </>
  )
}
