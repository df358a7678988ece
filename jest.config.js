/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  testEnvironment: 'node',
  testTimeout: 60_000,
  // In CI one file at a time: the in-memory stand-in database loses some transaction writes committed by concurrent
  // clients (docs/operations.md), so two files at once make sequential stories flaky. Locally two at a time.
  maxWorkers: process.env.CI === 'true' ? 1 : 2,
  reporters: ['default', '<rootDir>/tests/helpers/summary-reporter.js'],
};
