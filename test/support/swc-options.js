'use strict';
// The one swc setting for running the TypeScript sources: jest's transform and swc-register.js (child
// processes that run src/main.ts without a build) both use it.
module.exports = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
