/**
 * The pages against the real mall (tests/miniprogram/test_miniprogram_e2e.py starts it and
 * passes MALL_BASE_URL); not part of the page-test run.
 */
const pages = require('./jest.config');

module.exports = { ...pages, testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'], testTimeout: 60000 };
