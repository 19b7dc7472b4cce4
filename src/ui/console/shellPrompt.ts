/** A prompt as written (with its colours) and how many columns it takes. */
export interface Prompt {
  readonly text: string
  readonly width: number
}

/** bash's and sh's prompt, `user@host:dir$ `, in Debian's colours (bold green and blue, lifted to the theme's). */
export function shellPrompt(user: string, host: string, dir: string, sign: '$' | '#'): Prompt {
  return { text: `\x1b[1;32m${user}@${host}\x1b[0m:\x1b[1;34m${dir}\x1b[0m${sign} `, width: `${user}@${host}:${dir}${sign} `.length }
}
