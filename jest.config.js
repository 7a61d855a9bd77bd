// One test command at the root: `npm test` runs both projects; `--selectProjects` picks one.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      // NestJS reads constructor parameter types from decorator metadata.
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  // Tests import the contracts' source, so they never run against a stale build.
  moduleNameMapper: {
    '^@meetnet/contracts$': '<rootDir>/services/contracts/src/index.ts',
    '^@contracts/(.*)$': '<rootDir>/services/contracts/src/$1',
    '^@meetnet/accounts$': '<rootDir>/services/accounts/src/index.ts',
  },
  rootDir: __dirname,
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{services,simulators,dashboard}/**/src/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/src/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/tests/src/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/src/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/src/support/integration-timeout.ts'],
    },
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/src/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tests/src/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/src/support/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/tests/src/support/integration-timeout.ts',
        '<rootDir>/tests/src/support/page-errors-check.ts',
      ],
    },
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/tests/src/faults/**/*.fault-spec.ts'],
      globalSetup: '<rootDir>/tests/src/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/src/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/src/support/integration-timeout.ts'],
    },
  ],
};
