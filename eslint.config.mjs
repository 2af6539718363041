import { config } from '@n8n/node-cli/eslint';

// n8n's default config (what `n8n-node lint` and n8n's verification apply) for everything shipped:
// nodes/, credentials/, package.json. The block below only adds rules for test/ and bench/, which run
// in Node.js as development tools (emulator, n8n processes, benchmarks) and are never published.
export default [
	...config,
	{ ignores: ['.build/**', '.dev/**', '.e2e/**', 'coverage/**'] },
	{
		files: ['test/**/*.ts', 'bench/**/*.ts'],
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
