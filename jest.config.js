/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true }],
    // fastify.inject → light-my-request require()s cookie@2, which is ESM-only; jest on Node 20 cannot
    // require() ESM, so that one package is compiled to CommonJS for tests.
    '/node_modules/cookie/.+\\.js$': [
      'ts-jest',
      {
        useESM: false,
        isolatedModules: true,
        tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', verbatimModuleSyntax: false },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
