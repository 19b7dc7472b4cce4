import type { ClusterReads, ProxyMode } from '../../sim'
import type { RuleTextKind } from './serviceRuleLines'

/** One way to look at what kube-proxy wrote on a node: a node tool's output (its command line), or kube-proxy's own input. */
export interface RuleForm {
  readonly id: string
  /** The radio's label. */
  readonly label: string
  /** The command run on the node (shown as typed at its prompt); undefined for kube-proxy's own input. */
  readonly command?: string
  /** What it shows, in a few words (under the prompt). */
  readonly about: string
  /** How the Service's lines are found in it. */
  readonly kind: RuleTextKind
  /** Whether its output changes with traffic (connection counters), not only when kube-proxy syncs. */
  readonly live?: boolean
}

const IPTABLES_SAVE = (about: string): RuleForm => ({ id: 'iptables-save', label: 'iptables-save', command: 'iptables-save', about, kind: 'iptables' })

/** The forms each mode offers, the first shown by default. */
export const RULE_FORMS: Readonly<Record<ProxyMode, readonly RuleForm[]>> = {
  iptables: [
    { id: 'saved', label: 'iptables-save (what the node prints)', command: 'iptables-save', about: "iptables' canonical dump of every table: kube-proxy's chains and flannel's", kind: 'iptables' },
    { id: 'restore', label: "kube-proxy's iptables-restore input (what it writes)", about: 'What kube-proxy fed to iptables-restore at its last sync, in its own order and spelling', kind: 'iptables' },
  ],
  ipvs: [
    { id: 'ipvsadm', label: 'ipvsadm -Ln', command: 'ipvsadm -Ln', about: "IPVS's virtual servers (one per Service address and port) and the pods behind each", kind: 'ipvsadm', live: true },
    { id: 'stats', label: 'ipvsadm -Ln --stats', command: 'ipvsadm -Ln --stats', about: 'The same virtual servers, with the connections and packets each has taken', kind: 'ipvsadm', live: true },
    { id: 'ipset', label: 'ipset list', command: 'ipset list', about: "The address sets kube-proxy's few iptables rules match against, in one lookup each", kind: 'ipset' },
    { id: 'kube-ipvs0', label: 'ip addr show kube-ipvs0', command: 'ip addr show kube-ipvs0', about: 'Every Service address bound to a dummy interface, so the node takes packets to it as its own', kind: 'ip-addr' },
    IPTABLES_SAVE('The iptables rules IPVS mode still writes: masquerading, and matches against the ipsets'),
  ],
  nftables: [
    { id: 'ruleset', label: 'nft list ruleset', command: 'nft list ruleset', about: 'The table ip kube-proxy: maps from Service address to chain, a chain per Service and endpoint', kind: 'nft' },
    { id: 'transaction', label: "kube-proxy's nft transaction (what it writes)", about: 'What kube-proxy sent to nft at its last sync, as one transaction (nft -f)', kind: 'nft' },
    IPTABLES_SAVE("kubelet's and flannel's rules only: kube-proxy writes none in nftables mode"),
  ],
}

/** The text of a form on a node, read at the moment shown: the tool's output, or kube-proxy's input. */
export function formText(reader: ClusterReads, node: string, form: RuleForm, transaction?: () => string | undefined): string {
  if (form.id === 'restore') return reader.kubeProxyRules(node) ?? ''
  if (form.id === 'transaction') return transaction?.() ?? ''
  const r = reader.run(form.command!, { node })
  return r.exitCode === 0 ? r.stdout : `${r.stdout}${r.stderr}`
}

/** The prompt of a root shell on the node, as the console's shell prints it. */
export const nodePrompt = (node: string) => `root@${node}:/#`

/** What a form's lines come to, in words: how many rules, virtual servers, sets or addresses, and how many are the Service's. */
export function formCount(form: RuleForm, lines: readonly string[], marked: ReadonlySet<number>, service: string): string {
  const theirs = (test: (l: string) => boolean) => [...marked].filter((i) => test(lines[i]!)).length
  const of = (n: number, what: string) => (service ? `; ${n} of them ${what} ${service}'s` : '')
  switch (form.kind) {
    case 'iptables': {
      const rule = (l: string) => l.startsWith('-A ')
      const rules = lines.filter(rule).length
      // flannel's rules carry its comments ("flanneld masq", "flanneld forward"); the rest are kube-proxy's (and kubelet's).
      const flannel = lines.filter((l) => rule(l) && l.includes('--comment "flanneld ')).length
      const own = theirs(rule)
      return `${rules} rules (-A lines), ${flannel} of them flannel's${service ? `; ${own} of them, and ${marked.size - own} chain declarations, are ${service}'s` : ''}.`
    }
    case 'ipvsadm': {
      const vs = (l: string) => /^(TCP|UDP|SCTP)\s/.test(l)
      const real = (l: string) => /^\s+->\s+\d/.test(l)
      return `${lines.filter(vs).length} virtual servers, ${lines.filter(real).length} real servers${of(theirs(vs), 'are')}. A packet's destination is looked up among them in one step.`
    }
    case 'ipset': {
      const sets = lines.filter((l) => l.startsWith('Name: ')).length
      return `${sets} ipsets${service ? `; ${marked.size} members are ${service}'s addresses or ports` : ''}.`
    }
    case 'ip-addr': {
      const inet = (l: string) => /^\s+inet /.test(l)
      return `${lines.filter(inet).length} addresses on kube-ipvs0${of(theirs(inet), 'are')}: each is local here, so IPVS takes its packets at INPUT.`
    }
    case 'nft': {
      const chains = lines.filter((l) => /^\s*chain \S+ \{|^add chain /.test(l)).length
      return `${chains} chains in table ip kube-proxy${service ? `; ${marked.size} lines name ${service} or its addresses` : ''}.`
    }
  }
}
