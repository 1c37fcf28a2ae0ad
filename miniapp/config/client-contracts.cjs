/**
 * Client builds get shared/'s contracts without their zod schemas (issue 23.2).
 *
 * The app needs an endpoint's method, path, access and idempotency to call it,
 * its types (erased at build) and shared/'s labels and pure rules; the server
 * is the one that parses requests and answers with zod. Shipping every request
 * and response schema put zod and a few hundred schemas in the weapp main
 * package. This Babel plugin, applied only to files under shared/ and only in
 * Taro builds (config/index.ts; Vitest and the server read shared/ untouched),
 * so there is still ONE declaration per route and types stay identical:
 *
 * 1. `endpoint({...})` keeps what a call needs (method, path, access,
 *    idempotency); `params`, `query`, `body` and the OpenAPI `summary` are
 *    dropped and `response` becomes `{}` (`null` stays null: a file download);
 * 2. every other top-level initializer is wrapped in a `#__PURE__` call, so
 *    webpack's inner graph and Terser drop the schemas nobody uses any more,
 *    and zod with them. A schema the client does use (a form that validates
 *    before sending, such as the work calendar) is kept, with zod, in the
 *    subpackage that uses it;
 * 3. config/index.ts declares shared/ free of side effects, so webpack skips a
 *    barrel's re-export nobody uses (common.ts → fields.ts, members.ts →
 *    member-record.ts) instead of pulling the module into the main package.
 *
 * src/api/client.ts validates a response and params only when the endpoint
 * carries its schema (it does in the mini-program tests, not in a build).
 */
const path = require('node:path')
const annotateAsPure = require('@babel/helper-annotate-as-pure').default

const sharedDir = path.resolve(__dirname, '../../shared') + path.sep
// `summary` is the OpenAPI document's, never shown by the app.
const SCHEMA_KEYS = new Set(['params', 'query', 'body', 'summary'])

function keyName(property) {
  if (property.type !== 'ObjectProperty' || property.computed) return null
  return property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : null
}

/** `endpoint({...})`: metadata only. */
function stripEndpointSchemas(t, call) {
  const [definition] = call.node.arguments
  if (!definition || definition.type !== 'ObjectExpression') return
  definition.properties = definition.properties.filter((property) => !SCHEMA_KEYS.has(keyName(property)))
  for (const property of definition.properties) {
    if (keyName(property) === 'response' && property.value.type !== 'NullLiteral') property.value = t.objectExpression([])
  }
}

/** Initializers with nothing to run need no wrapping (and a wrapped function would change nothing). */
function isInert(node) {
  return ['ArrowFunctionExpression', 'FunctionExpression', 'StringLiteral', 'NumericLiteral', 'BooleanLiteral', 'NullLiteral', 'Identifier'].includes(node.type)
}

/** `const x = init` → `const x = /*#__PURE__*\/ (() => init)()`, same value, droppable when unused. */
function wrapPure(t, declarator) {
  const init = declarator.node.init
  if (!init || isInert(init)) return
  const call = t.callExpression(t.arrowFunctionExpression([], init), [])
  annotateAsPure(call)
  declarator.get('init').replaceWith(call)
}

module.exports = function clientContracts({ types: t }) {
  return {
    name: 'client-contracts',
    visitor: {
      Program(program, state) {
        const file = state.filename ?? ''
        if (!file.startsWith(sharedDir)) return
        program.traverse({
          CallExpression(call) {
            if (call.node.callee.type === 'Identifier' && call.node.callee.name === 'endpoint') stripEndpointSchemas(t, call)
          },
        })
        for (const statement of program.get('body')) {
          const declaration = statement.isExportNamedDeclaration() ? statement.get('declaration') : statement
          if (!declaration.node || !declaration.isVariableDeclaration()) continue
          for (const declarator of declaration.get('declarations')) wrapPure(t, declarator)
        }
      },
    },
  }
}
