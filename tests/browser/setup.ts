/**
 * Runs in each browser test file before its own code: the H5 app must be built and current. The first file
 * builds it (one build at a time, under a lock; the others wait for it) while API files go on in the other worker.
 */
import { ensureH5Build } from './build'

ensureH5Build()
