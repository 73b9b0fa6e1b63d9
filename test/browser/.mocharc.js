// `npm run test:browser`: the heatmap page in headless Chromium (Debian's, driven by playwright-core).
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/browser/**/*.test.ts'],
};
