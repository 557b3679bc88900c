/**
 * One way to report: a vfile message at a place, with a permanent rule id.
 * Errors are `fatal: true`; warnings are `fatal: false`. Rule ids are listed
 * in docs/errors.md.
 */
import type {Node, Point, Position} from 'unist'
import type {VFile} from 'vfile'

export type Place = Node | Position | Point | undefined

function toPlace(place: Place): Position | Point | undefined {
  if (!place) return undefined
  if ('type' in place) return (place as Node).position
  return place as Position | Point
}

/** Report an error: the paper is invalid and nothing is published. */
export function fail(file: VFile, reason: string, place: Place, ruleId: string): void {
  const message = file.message(reason, {place: toPlace(place), ruleId, source: 'mopac'})
  message.fatal = true
}

/** Report a warning: publishing goes ahead. */
export function warn(file: VFile, reason: string, place: Place, ruleId: string): void {
  const message = file.message(reason, {place: toPlace(place), ruleId, source: 'mopac'})
  message.fatal = false
}

/** Whether a file has an error. */
export function hasErrors(file: VFile): boolean {
  return file.messages.some((m) => m.fatal === true)
}
