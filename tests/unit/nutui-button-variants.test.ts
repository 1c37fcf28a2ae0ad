/**
 * The weapp build drops the NutUI Button rules for the variants no button uses (miniapp/config/nutui-unused-styles.cjs,
 * issue 23.2: 8 KB of the weapp main package). A <Button> asking for one of them would be drawn unstyled, so every
 * <Button>'s type, size and fill in miniapp/src must be a literal (or a choice between literals) outside those lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'miniapp/src');
const { UNUSED_BUTTON_VARIANTS } = createRequire(import.meta.url)(path.join(ROOT, 'miniapp/config/nutui-unused-styles.cjs')) as {
  UNUSED_BUTTON_VARIANTS: Record<'type' | 'size' | 'fill', string[]>;
};

/** The string literals an attribute can take, or null when it is something else (a variable, a call). */
function literals(node: ts.Expression): string[] | null {
  if (ts.isStringLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node)) return literals(node.expression);
  if (ts.isConditionalExpression(node)) {
    const [a, b] = [literals(node.whenTrue), literals(node.whenFalse)];
    return a && b ? [...a, ...b] : null;
  }
  return null;
}

function buttonVariants(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const problems: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText() === 'Button') {
      for (const attribute of node.attributes.properties) {
        if (ts.isJsxSpreadAttribute(attribute)) {
          problems.push(`${file}: a spread on <Button> hides its variant`);
          continue;
        }
        const name = attribute.name.getText() as keyof typeof UNUSED_BUTTON_VARIANTS;
        if (!(name in UNUSED_BUTTON_VARIANTS) || !attribute.initializer) continue;
        const init = attribute.initializer;
        const values = ts.isStringLiteral(init) ? [init.text] : ts.isJsxExpression(init) && init.expression ? literals(init.expression) : null;
        const line = source.getLineAndCharacterOfPosition(attribute.getStart()).line + 1;
        if (!values) problems.push(`${file}:${line}: ${name} is not a literal`);
        for (const value of values ?? []) {
          if (UNUSED_BUTTON_VARIANTS[name].includes(value)) problems.push(`${file}:${line}: ${name}='${value}' is dropped from the stylesheet`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

it('no <Button> asks for a NutUI variant whose styles the weapp build drops', () => {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
  const withButtons = files.map((f) => path.join(SRC, f)).filter((f) => readFileSync(f, 'utf8').includes('<Button'));
  expect(withButtons.length).toBeGreaterThan(10);
  expect(withButtons.flatMap(buttonVariants)).toEqual([]);
});
