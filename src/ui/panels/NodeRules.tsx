import { Fragment, useEffect, useMemo, useRef, useState } from 'react'
import type { Service } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useStoreApi } from '../storeContext'
import { serviceRuleLines } from './serviceRuleLines'

// kube-proxy's rules on a node change only when it syncs: its watch view is what they are rendered from.
const selectProxies = (s: SimulationStore) => s.state.proxies
const selectServices = (s: SimulationStore) => s.state.services

/** The rules as lines, the chosen Service's marked, scrolled so that the first of them is in view. */
function RuleText({ lines, marked, label }: { lines: readonly string[]; marked: ReadonlySet<number>; label: string }) {
  const ref = useRef<HTMLPreElement>(null)
  const first = Math.min(...marked)
  useEffect(() => {
    const el = ref.current?.querySelector<HTMLElement>(`[data-line="${first}"]`)
    if (el && ref.current) ref.current.scrollTop = el.offsetTop - ref.current.offsetTop - 8
  }, [first])
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

/** Which text: what `iptables-save` prints on the node, or what kube-proxy fed to `iptables-restore`. */
type RuleForm = 'saved' | 'restore'

const FORMS: readonly [RuleForm, string][] = [
  ['saved', 'iptables-save (what the node prints)'],
  ['restore', "kube-proxy's iptables-restore input (what it writes)"],
]

/**
 * A Node's rules as kube-proxy last wrote them, in either form, with one Service's rules highlighted (the one last selected, at
 * first), and a full-size view for reading it on a projector.
 */
export function NodeRules({ node, service }: { node: string; service?: string }) {
  const store = useStoreApi()
  const proxies = useSim(selectProxies)
  const servicesMap = useSim(selectServices)
  const [chosen, setChosen] = useState<string | undefined>(undefined)
  const [form, setForm] = useState<RuleForm>('saved')
  const dialog = useRef<HTMLDialogElement>(null)
  const services = useMemo(
    () => [...servicesMap.values()].filter((s: Service) => s.spec.clusterIP && s.spec.clusterIP !== 'None').map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
    [servicesMap],
  )
  const highlight = chosen ?? (service && services.includes(service) ? service : '')
  // Read live or at the moment shown; rebuilt when the node's kube-proxy view changes, not for every moment shown.
  const lines = useMemo(() => {
    void proxies
    const reader = store.getState().reader
    return ((form === 'saved' ? reader.iptablesSave(node) : reader.kubeProxyRules(node)) ?? '').split('\n')
  }, [store, node, proxies, form])
  const marked = useMemo(() => (highlight ? serviceRuleLines(lines, highlight) : new Set<number>()), [lines, highlight])
  const label = `iptables rules of ${node}`
  const rules = lines.filter((l) => l.startsWith('-A ')).length
  // flannel's rules carry its comments ("flanneld masq", "flanneld forward"); the rest are kube-proxy's (and kubelet's).
  const flannel = lines.filter((l) => l.startsWith('-A ') && l.includes('--comment "flanneld ')).length
  const ownRules = [...marked].filter((i) => lines[i]!.startsWith('-A ')).length
  const ownChains = marked.size - ownRules
  return (
    <details open>
      <summary>iptables rules on {node} (kube-proxy's and flannel's)</summary>
      <fieldset className="row rule-form">
        <legend>Show the rules as</legend>
        {FORMS.map(([value, text]) => (
          <label key={value}>
            <input type="radio" name={`rule-form-${node}`} value={value} checked={form === value} onChange={() => setForm(value)} /> {text}
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
            const first = [...(pre?.querySelectorAll<HTMLElement>('.hl') ?? [])].find((el) => el.textContent?.startsWith('-A '))
            if (pre && first) pre.scrollTop = first.offsetTop - pre.offsetTop - 8
          }}
        >
          Full size
        </button>
      </div>
      <p className="hint">
        {rules} rules (-A lines), {flannel} of them flannel's{highlight ? `; ${ownRules} of them, and ${ownChains} chain declarations, are ${highlight}'s` : ''}.
      </p>
      <RuleText lines={lines} marked={marked} label={label} />
      <dialog ref={dialog} className="rules-dialog" aria-label={`${label}, full size`}>
        <div className="row">
          <strong>
            {form === 'saved' ? 'iptables-save' : "kube-proxy's iptables-restore input"} on {node}
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
