import { useRef, useState } from 'react'
import { ExamplesDialog } from './ExamplesDialog'

/** Opens the list of example applications. */
export function ExamplesButton() {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  return (
    <>
      <button type="button" ref={button} onClick={() => setOpen(true)} aria-haspopup="dialog">
        Examples…
      </button>
      {open
        ? <ExamplesDialog
            onClose={() => {
              setOpen(false)
              button.current?.focus()
            }}
          />
        : null}
    </>
  )
}
