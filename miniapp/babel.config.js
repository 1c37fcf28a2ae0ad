// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// This is a project-wide config, so it also compiles the repository's `shared/`
// folder (TypeScript outside src/) that config/index.ts adds to `compile.include`.
module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
      },
    ],
  ],
}
