import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

const base = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', '.build/**', 'node_modules/**', 'test/**', 'bench/**', 'examples/**'] },
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { ...base, ...communityNodes.configs.recommended.plugins },
		rules: {
			...n8nNodesBase.configs.community.rules,
			'@n8n/community-nodes/no-runtime-dependencies': 'error',
			'@n8n/community-nodes/package-name-convention': 'error',
			'@n8n/community-nodes/valid-peer-dependencies': 'error',
			'@n8n/community-nodes/no-forbidden-lifecycle-scripts': 'error',
			'@n8n/community-nodes/no-overrides-field': 'error',
			'@n8n/community-nodes/require-files-array': 'error',
			'@n8n/community-nodes/require-homepage': 'error',
			'@n8n/community-nodes/valid-author': 'error',
			'@n8n/community-nodes/node-registration-complete': 'error',
			'@n8n/community-nodes/require-version': 'error',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { ...base, ...communityNodes.configs.recommended.plugins },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			...communityNodes.configs.recommended.rules,
			// applies to n8n's own repository only, where the URL is a docs slug
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { ...base, ...communityNodes.configs.recommended.plugins },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			...communityNodes.configs.recommended.rules,
			// superseded by @n8n/community-nodes/node-connection-type-literal, which asks for NodeConnectionTypes
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
