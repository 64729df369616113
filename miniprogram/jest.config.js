/** Page and unit tests run under node: miniprogram-simulate renders the pages in jsdom. */
module.exports = {
  testEnvironment: 'jsdom',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 20000,
};
