/** The browser tests drive the built H5 app; the build logic is shared with `npm run dev`. */
export { ensureH5Build, H5_DIR, h5BuildIsFresh, ROOT, snapshotH5Build } from '../../scripts/h5-build'
