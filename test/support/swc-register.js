'use strict';
// Lets a child `node` process run the broker's TypeScript sources as they are (no build step):
// `node -r ./test/support/swc-register.js src/main.ts`, with the same swc settings as jest.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
