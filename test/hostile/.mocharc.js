// `npm run test:hostile`: inputs a hostile user wrote (test/fixtures/hostile) and a short
// seeded fuzz round over the repo's fixtures and examples. Each file runs in a worker thread
// with a memory cap and a timeout, so that a regression is a failing test, not a hung suite.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/hostile/**/*.test.ts'],
  timeout: 180000,
  // A worker thread still running when a test timed out must not keep the suite alive.
  exit: true,
};
