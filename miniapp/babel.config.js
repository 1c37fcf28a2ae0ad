// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// This is a project-wide config, so it also compiles the repository's `shared/`
// folder (TypeScript outside src/) that config/index.ts adds to `compile.include`.
// In a Taro build (TARO_ENV is set) shared/'s contracts lose their zod schemas:
// config/client-contracts.cjs says why.
module.exports = {
  plugins: process.env.TARO_ENV ? [require.resolve('./config/client-contracts.cjs')] : [],
  presets: [
    [
      'taro',
      {
        framework: 'preact',
        ts: true,
        compiler: 'webpack5',
      },
    ],
  ],
}
