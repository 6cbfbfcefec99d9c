// Three projects: unit (beside the code), integration (real databases) and e2e (real app over HTTP).
// client-node, jose and friends are ESM-only, so they are transformed like our own sources.
const esmPackages = ['@kubernetes/client-node', 'jose', 'openid-client', 'oauth4webapi', '@peculiar', 'hpagent'];
const swc = ['@swc/jest', require('./test/support/swc-options')];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/quiet-nest-logger.ts'],
};
module.exports = {
  testTimeout: 60000,
  // A test that fails half-way may leave a server it started behind; CI must still end (the results are
  // already reported by then). Leaks are hunted with --detectOpenHandles, not by hanging the pipeline.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform: common.transform,
  transformIgnorePatterns: common.transformIgnorePatterns,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/reliability/**/*.e2e-spec.ts'],
    },
  ],
};
