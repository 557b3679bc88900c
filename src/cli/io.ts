/** What a command may touch of the outside world, passed in from the edge. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** The clock: only the CLI reads it, and only when --now is not given. */
  now: () => Date
  /** Whether stderr is a terminal (for colour and progress). */
  isTTY: boolean
  env: Record<string, string | undefined>
}

export class UsageError extends Error {}
