import { useEffect, useId, useRef, useState } from 'react'
import { SCALING_SIZES } from '../../sim/compare/modeScaling'
import { PROXY_MODES, type ProxyMode } from '../../sim/model/proxyMode'
import { MODE_TITLES } from './modeText'
import { cachedScaling, measureScalingInSteps, type ScalingSample } from './scalingMeasure'

/** How each mode's line is drawn: a colour, and a dash and a marker, so that it is told apart without colour too. */
const LINE: Record<ProxyMode, { readonly color: string; readonly dash?: string; readonly marker: 'circle' | 'square' | 'triangle' }> = {
  iptables: { color: '#b3261e', marker: 'circle' },
  ipvs: { color: '#2456c8', dash: '9 5', marker: 'square' },
  nftables: { color: '#1b7f3a', dash: '3 4', marker: 'triangle' },
}

/** Drawn at one pixel per unit, so that its 16 px text is 16 px on screen. */
const W = 580
const H = 330
const M = { top: 16, right: 112, bottom: 62, left: 100 }

/** A tick on a log axis: a power of ten. */
const tickText = (v: number) => (v >= 1 ? v.toLocaleString('en-US') : String(Number(v.toPrecision(1))))

/** A measured value: whole numbers as such, milliseconds with the digits that tell them apart. */
const fmt = (v: number) => (Number.isInteger(v) || v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2))

function Marker({ kind, x, y, color }: { kind: 'circle' | 'square' | 'triangle'; x: number; y: number; color: string }) {
  if (kind === 'circle') return <circle cx={x} cy={y} r={5} fill={color} />
  if (kind === 'square') return <rect x={x - 5} y={y - 5} width={10} height={10} fill={color} />
  return <path d={`M${x},${y - 6} L${x + 6},${y + 5} L${x - 6},${y + 5} Z`} fill={color} />
}

/** A log-log chart of one measure against the number of Services, a line per mode, the last values written at the right. */
function LogChart({ title, yLabel, samples, value, unit }: { title: string; yLabel: string; samples: readonly ScalingSample[]; value: (s: ScalingSample) => number; unit: string }) {
  const values = samples.map(value).filter((v) => v > 0)
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(1, ...values))))
  // Room above the largest value for its marker, not a whole empty decade.
  const hi = Math.max(10, ...values) * 1.6
  const x = (n: number) => M.left + ((W - M.left - M.right) * Math.log10(n)) / Math.log10(SCALING_SIZES[SCALING_SIZES.length - 1]!)
  const y = (v: number) => H - M.bottom - ((H - M.top - M.bottom) * (Math.log10(Math.max(v, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo))
  const yTicks: number[] = []
  for (let v = lo; v <= hi; v *= 10) yTicks.push(v)
  // End labels, moved apart so that two equal lines' values do not print over each other.
  const ends = PROXY_MODES.flatMap((mode) => {
    const last = samples.filter((s) => s.mode === mode).at(-1)
    return last ? [{ mode, v: value(last), y: y(value(last)) }] : []
  }).sort((a, b) => a.y - b.y)
  for (let i = 1; i < ends.length; i++) if (ends[i]!.y - ends[i - 1]!.y < 19) ends[i]!.y = ends[i - 1]!.y + 19
  return (
    <figure className="scaling-figure">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${PROXY_MODES.map((m) => `${MODE_TITLES[m]} ${samples.filter((s) => s.mode === m).map((s) => `${fmt(value(s))}${unit}`).join(', ')}`).join('; ')} for ${SCALING_SIZES.join(', ')} Services`}>
        <g className="axis">
          {yTicks.map((v) => (
            <g key={v}>
              <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} className="grid" />
              <text x={M.left - 8} y={y(v) + 5} textAnchor="end">
                {tickText(v)}
              </text>
            </g>
          ))}
          {SCALING_SIZES.map((n) => (
            <g key={n}>
              <line x1={x(n)} x2={x(n)} y1={M.top} y2={H - M.bottom} className="grid" />
              <text x={x(n)} y={H - M.bottom + 22} textAnchor="middle">
                {n.toLocaleString('en-US')}
              </text>
            </g>
          ))}
          <text x={(M.left + W - M.right) / 2} y={H - 10} textAnchor="middle" className="axis-title">
            Services in the cluster (log scale)
          </text>
          <text transform={`translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">
            {yLabel}
          </text>
        </g>
        {PROXY_MODES.map((mode) => {
          const points = samples.filter((s) => s.mode === mode)
          const { color, dash, marker } = LINE[mode]
          return (
            <g key={mode} data-mode={mode}>
              <polyline points={points.map((s) => `${x(s.services)},${y(value(s))}`).join(' ')} fill="none" stroke={color} strokeWidth={3} {...(dash ? { strokeDasharray: dash } : {})} />
              {points.map((s) => (
                <Marker key={s.services} kind={marker} x={x(s.services)} y={y(value(s))} color={color} />
              ))}
            </g>
          )
        })}
        {ends.map((e) => (
          <text key={e.mode} x={W - M.right + 10} y={e.y + 5} fill={LINE[e.mode].color} className="end-label">
            {fmt(e.v)}
            {unit}
          </text>
        ))}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  )
}

/** The modes' names with the line each is drawn with. */
function Legend() {
  return (
    <ul className="scaling-legend" aria-label="Legend">
      {PROXY_MODES.map((mode) => {
        const { color, dash, marker } = LINE[mode]
        return (
          <li key={mode}>
            <svg width={44} height={16} aria-hidden="true">
              <line x1={2} x2={42} y1={8} y2={8} stroke={color} strokeWidth={3} {...(dash ? { strokeDasharray: dash } : {})} />
              <Marker kind={marker} x={22} y={8} color={color} />
            </svg>
            {MODE_TITLES[mode]}
          </li>
        )
      })}
    </ul>
  )
}

/** The same numbers as a table, for a screen reader and for reading exact values. */
function ScalingTable({ samples }: { samples: readonly ScalingSample[] }) {
  const at = (mode: ProxyMode, n: number) => samples.find((s) => s.mode === mode && s.services === n)
  return (
    <table className="scaling-table">
      <caption>Per new connection and per sync, as measured in this browser</caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>
            Services
          </th>
          <th scope="colgroup" colSpan={3}>
            rules walked per new connection
          </th>
          <th scope="colgroup" colSpan={3}>
            sync time (ms, median)
          </th>
        </tr>
        <tr>
          {[...PROXY_MODES, ...PROXY_MODES].map((m, i) => (
            <th scope="col" key={i}>
              {MODE_TITLES[m]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {SCALING_SIZES.map((n) => (
          <tr key={n}>
            <th scope="row">{n.toLocaleString('en-US')}</th>
            {PROXY_MODES.map((m) => (
              <td key={m}>{at(m, n)?.rulesWalked.toLocaleString('en-US') ?? '–'}</td>
            ))}
            {PROXY_MODES.map((m) => {
              const s = at(m, n)
              return <td key={m}>{s ? fmt(s.syncMs) : '–'}</td>
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * How the cost of a new connection, and of a sync, grows with the number of Services in each mode: measured on
 * "Measure" in this browser (one node's rules rendered as a sync writes them, timed; the first packet to the last
 * Service walked), drawn on log-log axes, with the same numbers as a table.
 */
export function ScalingChart() {
  const id = useId()
  const [samples, setSamples] = useState<readonly ScalingSample[] | undefined>(cachedScaling)
  const [progress, setProgress] = useState<string>()
  const cancel = useRef<() => void>(undefined)
  useEffect(() => () => cancel.current?.(), [])
  const measure = () => {
    setProgress('Starting…')
    cancel.current = measureScalingInSteps(
      (done, total, what) => setProgress(`Measuring ${what}: ${Math.round((100 * done) / total)}%`),
      (s) => {
        setSamples(s)
        setProgress(undefined)
        cancel.current = undefined
      },
    )
  }
  const last = (mode: ProxyMode) => samples?.find((s) => s.mode === mode && s.services === SCALING_SIZES[SCALING_SIZES.length - 1])
  return (
    <section className="scaling" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="mode-section-title">
        As Services grow: rules walked and sync time
      </h3>
      <div className="row scaling-bar">
        <button type="button" className="primary" onClick={measure} disabled={progress !== undefined}>
          {samples ? 'Measure again' : 'Measure'}
        </button>
        <span role="status" className="hint">
          {progress ?? (samples ? `Measured in this browser: ${SCALING_SIZES.map((n) => n.toLocaleString('en-US')).join(', ')} Services in each mode.` : `Renders one node's rules for ${SCALING_SIZES.map((n) => n.toLocaleString('en-US')).join(', ')} Services in each mode (10,000 take a moment) and walks a new connection to the last.`)}
        </span>
      </div>
      {samples ? (
        <>
          <Legend />
          <div className="scaling-charts">
            <LogChart title="Rules walked by the first packet of a new connection" yLabel="rules walked (log)" samples={samples} value={(s) => s.rulesWalked} unit="" />
            <LogChart title="Time to render one node's rules (a full sync), median" yLabel="sync time, ms (log)" samples={samples} value={(s) => s.syncMs} unit=" ms" />
          </div>
        </>
      ) : null}
      <p className="scaling-why">
        In iptables mode the first packet of a connection walks KUBE-SERVICES from the top, one rule per Service port, until its Service matches: the cost grows with the
        number of Services{last('iptables') ? ` (${last('iptables')!.rulesWalked.toLocaleString('en-US')} rules at 10,000)` : ''}. IPVS looks the virtual server up in a hash, and
        nftables looks the Service up in its service-ips map: one step whatever the number, so their lines stay flat
        {last('ipvs') && last('nftables') ? ` (${last('ipvs')!.rulesWalked} and ${last('nftables')!.rulesWalked})` : ''}. Later packets of a connection are matched by conntrack in every mode.
        The sync time is a full sync, all of the node's rules rendered: that grows with the Services in every mode.
      </p>
      {samples ? (
        <details className="scaling-details">
          <summary>The numbers as a table</summary>
          <ScalingTable samples={samples} />
        </details>
      ) : null}
    </section>
  )
}
