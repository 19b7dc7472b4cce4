/**
 * The lines run at one prompt, walked with Up and Down as bash does: Up from the line being typed keeps it as a draft,
 * Down past the newest entry brings it back. A line equal to the one before it is kept once.
 */
export class CommandHistory {
  private readonly entries: string[] = []
  private index = 0
  private draft = ''

  /** Remembers a line that was run, and goes back to the end of the history. */
  add(line: string): void {
    if (line.trim() !== '' && this.entries.at(-1) !== line) this.entries.push(line)
    this.index = this.entries.length
    this.draft = ''
  }

  /** The entry before the one shown (`current` is what is typed now), or undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.index === 0) return undefined
    if (this.index === this.entries.length) this.draft = current
    return this.entries[--this.index]
  }

  /** The entry after the one shown, the draft past the newest, or undefined when already there. */
  next(): string | undefined {
    if (this.index >= this.entries.length) return undefined
    this.index++
    return this.index === this.entries.length ? this.draft : this.entries[this.index]
  }
}
