/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true }],
    // fastify.inject → light-my-request require()s cookie@2, and @fastify/static (under /docs and the
    // job board) require()s content-disposition@1, both ESM-only; jest on Node 20 cannot require()
    // ESM (Node itself can, from 20.19), so those packages are compiled to CommonJS for tests.
    '/node_modules/(cookie|content-disposition)/.+\\.js$': [
      'ts-jest',
      {
        useESM: false,
        isolatedModules: true,
        tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', verbatimModuleSyntax: false },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition)/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
