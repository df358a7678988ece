// piscina loads workers with plain Node: tsx compiles the TypeScript worker, under `npm start` and jest alike.
require('tsx/cjs/api').register();
module.exports = require('./local-worker.ts');
