// `npm run test:unit`: the unit and rule tests. They run in seconds and need no build, no
// browser and no editor: nothing here builds a tfjs model or starts a process (those are
// test/probe and test/cli). Rule tests are found beside their rule or under test/rules.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/unit/**/*.test.ts', 'test/rules/**/*.test.ts', 'src/**/*.test.ts'],
};
