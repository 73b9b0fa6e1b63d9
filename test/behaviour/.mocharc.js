// `npm run test:behaviour`: findings, fixes and fixed texts on every example and fixture
// against test/behaviour/snapshot.json. Lints and fixes ~120 files in-process: tens of seconds.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/behaviour/**/*.test.ts'],
};
