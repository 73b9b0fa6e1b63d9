// `npm run test:cli`: the built `gradlint` command (dist/), each run a process of its own.
// The script builds first, as `npm test` does.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/cli/**/*.test.ts'],
};
