import { Fragment, useEffect, useMemo, useRef, useState } from 'react'
import { nftablesTransaction, type ProxyMode, type Service } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { PROXY_MODE_TEXT } from '../controls/ProxyModeControl'
import { useSim, useStoreApi } from '../storeContext'
import { formCount, formText, nodePrompt, RULE_FORMS, type RuleForm } from './nodeRuleForms'
import { serviceMatch, serviceRuleLines } from './serviceRuleLines'

// kube-proxy's rules on a node change only when it syncs: its watch view is what they are rendered from.
const selectProxies = (s: SimulationStore) => s.state.proxies
const selectServices = (s: SimulationStore) => s.state.services
const selectClusterMode = (s: SimulationStore) => s.state.proxyMode
// IPVS's connection counters change with every request: read only by the forms that show them.
const selectNet = (s: SimulationStore) => s.state.net

/** Scrolls the rules (only) so that a line is at their top, whole, with a little room above it. */
function scrollToLine(pre: HTMLElement, line: HTMLElement) {
  pre.scrollTop += line.getBoundingClientRect().top - pre.getBoundingClientRect().top - 12
}

/** The rules as lines, the chosen Service's marked, scrolled so that the first of them is in view. */
function RuleText({ lines, marked, label }: { lines: readonly string[]; marked: ReadonlySet<number>; label: string }) {
  const ref = useRef<HTMLPreElement>(null)
  const first = Math.min(...marked)
  useEffect(() => {
    const pre = ref.current
    const el = pre?.querySelector<HTMLElement>(`[data-line="${first}"]`)
    if (el && pre) scrollToLine(pre, el)
  }, [first, lines])
  return (
    <pre className="rules" tabIndex={0} aria-label={label} ref={ref}>
      {lines.map((line, i) => (
        <Fragment key={i}>
          <span data-line={i} className={marked.has(i) ? 'hl' : undefined}>
            {line}
          </span>
          {'\n'}
        </Fragment>
      ))}
    </pre>
  )
}

/** The command as typed at the node's root prompt, or what kube-proxy's own input is. */
function FormHeading({ node, form }: { node: string; form: RuleForm }) {
  return (
    <p className="rules-heading">
      {form.command ? (
        <code className="rules-prompt">
          <span className="prompt">{nodePrompt(node)}</span> {form.command}
        </code>
      ) : (
        <strong>{form.label}</strong>
      )}
    </p>
  )
}

/** The pre's name: "iptables rules of worker-1" for iptables' dumps (as before modes), else the tool's output. */
const textLabel = (node: string, form: RuleForm) => (form.kind === 'iptables' ? `iptables rules of ${node}` : `${form.command ?? form.label} on ${node}`)

/**
 * A Node's rules as kube-proxy last wrote them, in the forms its mode offers (iptables: iptables-save and kube-proxy's
 * restore input; IPVS: ipvsadm, ipset, kube-ipvs0's addresses and iptables-save; nftables: nft's ruleset, kube-proxy's
 * transaction and iptables-save), each as the node's own tool prints it, with one Service's lines highlighted (the one
 * last selected, at first), and a full-size view for reading it on a projector.
 */
export function NodeRules({ node, service }: { node: string; service?: string }) {
  const store = useStoreApi()
  const proxies = useSim(selectProxies)
  const servicesMap = useSim(selectServices)
  const clusterMode = useSim(selectClusterMode)
  const net = useSim(selectNet)
  const [chosen, setChosen] = useState<string | undefined>(undefined)
  const [formOf, setFormOf] = useState<Partial<Record<ProxyMode, string>>>({})
  const dialog = useRef<HTMLDialogElement>(null)
  const services = useMemo(
    () => [...servicesMap.values()].filter((s: Service) => s.spec.clusterIP && s.spec.clusterIP !== 'None').map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
    [servicesMap],
  )
  const highlight = chosen ?? (service && services.includes(service) ? service : '')
  // The mode this node's kube-proxy last synced in: it lags the cluster's setting until the node resyncs.
  const mode: ProxyMode = useMemo(() => {
    void proxies
    return store.getState().reader.proxyRules(node)?.mode ?? clusterMode
  }, [store, node, proxies, clusterMode])
  const forms = RULE_FORMS[mode]
  const form = forms.find((f) => f.id === formOf[mode]) ?? forms[0]!
  // Read live or at the moment shown; rebuilt when the node's kube-proxy view changes, not for every moment shown.
  const liveNet = form.live ? net.get(node) : undefined
  const lines = useMemo(() => {
    void proxies
    void liveNet
    const reader = store.getState().reader
    const transaction = () => {
      const rules = reader.proxyRules(node)
      return rules?.mode === 'nftables' ? nftablesTransaction(rules.nftables) : undefined
    }
    return formText(reader, node, form, transaction).replace(/\n$/, '').split('\n')
  }, [store, node, proxies, form, liveNet])
  const match = useMemo(() => {
    if (!highlight) return undefined
    const svc = servicesMap.find((s) => `${s.metadata.namespace}/${s.metadata.name}` === highlight)
    return svc ? serviceMatch(svc) : { name: highlight }
  }, [servicesMap, highlight])
  const marked = useMemo(() => (match ? serviceRuleLines(lines, match, form.kind) : new Set<number>()), [lines, match, form.kind])
  const label = textLabel(node, form)
  const restarting = mode !== clusterMode
  return (
    <details open>
      <summary>
        Rules on {node}: kube-proxy in {PROXY_MODE_TEXT[mode].name} mode
      </summary>
      {restarting ? (
        <p className="hint" role="status">
          kube-proxy here restarts in {PROXY_MODE_TEXT[clusterMode].name} mode: these rules are replaced at its next sync.
        </p>
      ) : null}
      <fieldset className="row rule-form">
        <legend>Show the rules as</legend>
        {forms.map((f) => (
          <label key={f.id} className={f.command && f.command === f.label ? 'mono' : undefined}>
            <input type="radio" name={`rule-form-${node}`} value={f.id} checked={form.id === f.id} onChange={() => setFormOf((m) => ({ ...m, [mode]: f.id }))} /> {f.label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <label>
          Highlight the rules of{' '}
          <select value={highlight} onChange={(e) => setChosen(e.target.value)}>
            <option value="">no Service</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            dialog.current?.showModal()
            // Open at the Service's first rule, not its chain declarations; scroll the rules only, not the dialog.
            const pre = dialog.current?.querySelector<HTMLElement>('pre')
            const all = [...(pre?.querySelectorAll<HTMLElement>('.hl') ?? [])]
            const first = all.find((el) => form.kind !== 'iptables' || el.textContent?.startsWith('-A ')) ?? all[0]
            if (pre && first) scrollToLine(pre, first)
          }}
        >
          Full size
        </button>
      </div>
      <FormHeading node={node} form={form} />
      <p className="hint">
        {form.about}. {formCount(form, lines, marked, highlight)}
      </p>
      <RuleText lines={lines} marked={marked} label={label} />
      <dialog ref={dialog} className="rules-dialog" aria-label={`${label}, full size`}>
        <div className="row">
          <strong>
            {form.command ? `${nodePrompt(node)} ${form.command}` : `${form.label} on ${node}`}
            {highlight ? `, ${highlight} highlighted` : ''}
          </strong>
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
        <RuleText lines={lines} marked={marked} label={`${label}, full size`} />
      </dialog>
    </details>
  )
}
