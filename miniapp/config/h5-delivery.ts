/**
 * How the H5 build is cut into files and prepared for a weak village
 * connection (issue 23): shared code in one cached chunk instead of a copy in
 * every page chunk, and every text asset precompressed (brotli and gzip) so
 * the Node server (server/static-files.ts) sends the .br/.gz beside it without
 * compressing on each request. Vercel compresses on its CDN and ignores them.
 *
 * The rule is by where a module comes from, not by page, so pages added later
 * follow it: code two or more chunks share lands in `vendors` (node_modules);
 * of the app's own code (src/ and shared/), what many pages share lands in `common`,
 * what a few pages share in a chunk of theirs; each is fetched once and cached for a
 * year (hashed names); what one page alone uses stays in that page's chunk.
 */
import CompressionPlugin from 'compression-webpack-plugin'
import { constants as zlib } from 'node:zlib'

/** The part of webpack-chain this file uses (Taro passes a webpack-chain 6 instance). */
interface Chain {
  optimization: { splitChunks(options: unknown): unknown; set(key: string, value: unknown): unknown }
  plugin(name: string): { use(plugin: unknown, args: unknown[]): unknown }
}

/** Text assets worth compressing; images and fonts are compressed already. Source maps are not served to users. */
export const COMPRESSIBLE_ASSET = /\.(js|css|html|svg|json|txt)$/

const nodeModules = /[\\/]node_modules[\\/]/
/** The app's own code. A RegExp, not a function of `module.resource`: webpack matches it against each module's
 * name for conditions, which extracted CSS modules also have (their `resource` is empty). */
const ownCode = /[\\/](miniapp[\\/]src|shared)[\\/]/

/** Own code shared by at least this many chunks is "shared by most pages" (common); less, it goes with its pages. */
export const COMMON_MIN_CHUNKS = 5

export function splitAndCompress(chain: Chain, options: { precompress: boolean }): void {
  chain.optimization.splitChunks({
    // Taro's default is 'initial': page chunks (loaded on navigation) then each carry their own copy of what they share.
    chunks: 'all',
    minSize: 0,
    cacheGroups: {
      default: false,
      defaultVendors: false,
      vendors: { name: 'vendors', test: nodeModules, minChunks: 2, priority: 20, reuseExistingChunk: true },
      // What most pages share (the API client, form parts, contracts every page reads) is one cached chunk; what only
      // a few pages share (one domain's contracts and components, used by its own subpackage pages) travels in a chunk
      // of those pages' own, so the first screen does not download every feature's shared code.
      common: { name: 'common', test: ownCode, minChunks: COMMON_MIN_CHUNKS, priority: 10, reuseExistingChunk: true },
      fewPages: { test: ownCode, minChunks: 2, priority: 5, reuseExistingChunk: true },
    },
  })
  if (!options.precompress) return
  const common = { test: COMPRESSIBLE_ASSET, threshold: 0, minRatio: Number.POSITIVE_INFINITY, deleteOriginalAssets: false }
  chain.plugin('precompress-gzip').use(CompressionPlugin, [{ ...common, algorithm: 'gzip', filename: '[path][base].gz', compressionOptions: { level: 9 } }])
  chain.plugin('precompress-brotli').use(CompressionPlugin, [
    { ...common, algorithm: 'brotliCompress', filename: '[path][base].br', compressionOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } } },
  ])
}
