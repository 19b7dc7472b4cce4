import { BarTable } from '../traffic/BarTable'
import type { ModeRun, RuleListing } from '../../sim/compare/compareModes'
import type { ProxyMode } from '../../sim/model/proxyMode'
import { stepName } from '../traffic/hopText'
import { consultedText, MODE_TITLES, MODE_WHY, shownHops, spreadWhy, whereText } from './modeText'

/** Per pod, how many of a batch of new connections it served in one mode. */
export interface ModeCounts {
  readonly mode: ProxyMode
  readonly counts: readonly (readonly [pod: string, served: number])[]
  readonly failed: number
}

/** One node tool's lines about the Service, exactly as it prints them, the lines that decided marked. */
function RuleText({ listing, label }: { listing: RuleListing; label: string }) {
  return (
    <figure className="mode-rules">
      <figcaption>
        <code>$ {listing.command}</code>: {listing.lines.length === 0 ? 'nothing about this Service' : listing.about}
      </figcaption>
      {listing.lines.length ? (
        // Scrolls on its own: focusable, so that the keyboard can scroll it too.
        // ipvsadm prints a table: its columns stay aligned (scrolled sideways); rules wrap, each line indented after its first.
        <pre tabIndex={0} aria-label={label} data-wrap={listing.command.startsWith('ipvsadm') ? 'no' : 'yes'}>
          {listing.lines.map((l, i) =>
            l.decides ? (
              <mark key={i}>
                <span className="visually-hidden">decided: </span>
                {l.text}
                {'\n'}
              </mark>
            ) : (
              <span key={i}>
                {l.text}
                {'\n'}
              </span>
            ),
          )}
        </pre>
      ) : null}
    </figure>
  )
}

/** Bars of a batch's counts per pod, with the sentence that says why they spread so. */
function SpreadBars({ spread, requests }: { spread: ModeCounts; requests: number }) {
  const title = MODE_TITLES[spread.mode]
  return (
    <div className="mode-spread">
      <BarTable
        label={`${requests} new connections in ${title} mode, per pod`}
        headers={['pod', 'served']}
        rows={[
          ...spread.counts.map(([pod, n]) => ({ key: pod, label: pod.split('/')[1] ?? pod, count: n })),
          ...(spread.failed ? [{ key: 'failed', label: 'failed', count: spread.failed }] : []),
        ]}
      />
      <p className="hint">{spreadWhy(spread.mode, requests, spread.counts.length)}</p>
    </div>
  )
}

/** One mode's column: why it costs what it costs, where the packet went, the rules consulted, and a batch's spread. */
export function ModeColumn({ run, service, spread, requests }: { run: ModeRun; service: string; spread?: ModeCounts | undefined; requests: number }) {
  const title = MODE_TITLES[run.mode]
  const id = `mode-${run.mode}`
  return (
    <section className="mode-column" aria-labelledby={`${id}-title`} data-mode={run.mode}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="mode-walked">
        <strong data-testid={`${run.mode}-walked`}>{run.rulesWalked}</strong> {run.rulesWalked === 1 ? 'rule' : 'rules'} walked on {run.node}
      </p>
      <p className="mode-why">{MODE_WHY[run.mode]}</p>
      <h4>Where the packet went</h4>
      <ol className="mode-hops" aria-label={`Hops in ${title} mode`}>
        {shownHops(run.hops).map((h, i) => {
          const consulted = consultedText(h)
          return (
            <li key={i} data-step={h.step}>
              <strong>{h.at}</strong> <span className="mode-step">{stepName(h)}</span>
              {consulted ? <span className="mode-consulted">{consulted}</span> : null}
              <code>{whereText(h)}</code>
            </li>
          )
        })}
      </ol>
      <p className={run.ok ? 'mode-outcome' : 'mode-outcome failed'}>{run.ok ? `Served by ${run.pod ?? run.endpoint}` : `Failed: ${run.reason}`}</p>
      <h4>Rules consulted on {run.node}</h4>
      {run.rules.map((l) => (
        <RuleText key={l.command} listing={l} label={`${l.command} on ${run.node}, the lines about ${service}`} />
      ))}
      {spread ? <SpreadBars spread={spread} requests={requests} /> : null}
    </section>
  )
}
