import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
/** The package version (part of the cache key). */
export const version: string = (require('../../package.json') as {version: string}).version
