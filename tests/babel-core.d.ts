/** The slice of @babel/core the client-contracts test calls (the package ships no types; Taro brings it in). */
declare module '@babel/core' {
  interface TransformOptions {
    filename?: string;
    babelrc?: boolean;
    configFile?: boolean;
    plugins?: unknown[];
    presets?: unknown[];
  }
  interface TransformResult {
    code?: string | null;
  }
  export function transformSync(code: string, options?: TransformOptions): TransformResult | null;
  export function transformFileSync(filename: string, options?: TransformOptions): TransformResult | null;
}
