// `npm run test:probe`: the probe, which builds and trains tfjs models, in-process and in
// its worker process. About a minute.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/probe/**/*.test.ts'],
};
