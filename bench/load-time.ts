/**
 * Run in a fresh process by case 4: how long the package's modules take to load, from the built dist/.
 * Imports nothing but Node's own modules, so that what it times is not loaded already.
 * n8n-workflow (the peer dependency) is loaded first and timed apart: in n8n it is always loaded before
 * any community node.
 */
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('n8n-workflow');
const t1 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tracy } = require(join(root, 'dist', 'nodes', 'Tracy', 'Tracy.node.js')) as {
	Tracy: new () => object;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TracyApi } = require(join(root, 'dist', 'credentials', 'TracyApi.credentials.js')) as {
	TracyApi: new () => object;
};
const t2 = performance.now();
new Tracy();
new TracyApi();
const t3 = performance.now();
process.send!({ workflow: t1 - t0, require: t2 - t1, instantiate: t3 - t2 });
