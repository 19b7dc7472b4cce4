import './faults.css'

/**
 * The badges of a card's faults: the first in full, the others counted ("+2") with all of them in its title and
 * for screen readers. A card has room for one line of them.
 */
export function FaultBadges({ faults }: { faults: readonly string[] | undefined }) {
  if (!faults?.length) return null
  const [first, ...rest] = faults
  return (
    <div className="fault-badges" data-kind="fault-badges" title={faults.join('\n')}>
      <span className="fault-badge">
        <span aria-hidden="true">⚠ </span>
        {first}
      </span>
      {rest.length ? (
        <>
          <span className="fault-badge more" aria-hidden="true">
            +{rest.length}
          </span>
          <span className="visually-hidden">, {rest.join(', ')}</span>
        </>
      ) : null}
    </div>
  )
}
