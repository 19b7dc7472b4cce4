/**
 * The first stops of the Tab key: past the graph's many cards to the controls, and (while a packet is watched)
 * straight to its details under the graph.
 */
export function SkipLinks({ packet }: { packet: boolean }) {
  return (
    <nav className="skip-links" aria-label="Skip links">
      <a className="skip-link" href="#controls">
        Skip to the controls
      </a>
      {packet ? (
        <a className="skip-link" href="#packet-details">
          Skip to the packet's details
        </a>
      ) : null}
    </nav>
  )
}
