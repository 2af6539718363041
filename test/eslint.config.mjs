import { config } from '@n8n/node-cli/eslint';

// Development tools (test/, and bench/ through its own file), never published: n8n's default rules
// (the root eslint.config.mjs, unchanged for n8n's strict mode) with the few that forbid what tests and
// benchmarks are for. ESLint picks this file for the files below it because `npm run lint` looks
// configs up from each file (ESLint 10's default).
export default [
	...config,
	{
		files: ['**/*.ts'],
		rules: {
			// servers, child processes, files, timers and console output are what these tools are for
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'no-console': 'off',
			// the emulator's fixture keys and the e2e encryption key are test data, not secrets
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			// scripts, not node code: their errors never reach n8n's UI
			'@n8n/community-nodes/require-node-api-error': 'off',
			// tsc resolves every import here (npm run typecheck); import-x's resolver does not follow the
			// `./*` subpath exports of @modelcontextprotocol/sdk, which the MCP end-to-end suite imports
			'import-x/no-unresolved': 'off',
			// `const { secret: _drop, ...rest } = x` is how tests strip a field before comparing
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	},
];
