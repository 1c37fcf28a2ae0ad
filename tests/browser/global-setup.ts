/**
 * Vitest globalSetup for the browser project: make sure the H5 build exists
 * and is current before any test file starts a server on it.
 */
import { ensureH5Build } from './build'

export default function setup(): void {
  ensureH5Build()
}
