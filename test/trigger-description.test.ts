/** The trigger nodes as n8n loads them from the package. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DirectoryLoader } from 'n8n-core';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type { INodeType } from 'n8n-workflow';

import { TracyAutomationTrigger } from '../nodes/Tracy/TracyAutomationTrigger.node';
import { TracyTrigger } from '../nodes/Tracy/TracyTrigger.node';
import pkg from '../package.json';

const triggers: Array<[string, INodeType]> = [
	['TracyTrigger', new TracyTrigger()],
	['TracyAutomationTrigger', new TracyAutomationTrigger()],
];

describe.each(triggers)('%s', (name, node) => {
	const { description } = node;

	test('is registered in package.json, with a codex file naming its type', () => {
		expect(pkg.n8n.nodes).toContain(`dist/nodes/Tracy/${name}.node.js`);
		const codex = JSON.parse(
			fs.readFileSync(path.join(__dirname, `../nodes/Tracy/${name}.node.json`), 'utf8'),
		) as { node: string };
		expect(codex.node).toBe(`${pkg.name}.${description.name}`);
	});

	test('uses the Tracy icons, light and dark, from a path inside the package', () => {
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(file.startsWith('file:')).toBe(true);
			expect(fs.existsSync(path.join(__dirname, '../nodes/Tracy', file.slice(5)))).toBe(true);
		}
	});

	test('is a trigger with the Tracy credential, and its "From List" methods exist', () => {
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		// the Automation Trigger may also take its secret from a credential of its own, optional for saved workflows
		const expected =
			name === 'TracyAutomationTrigger' ? ['tracyAutomationSecretApi', 'tracyApi'] : ['tracyApi'];
		expect(description.credentials?.map((c) => c.name)).toEqual(expected);
		for (const c of description.credentials ?? []) expect(c.testedBy).toBeDefined();
		const methods = (node.methods?.listSearch ?? {}) as Record<string, unknown>;
		for (const p of description.properties) {
			for (const mode of p.modes ?? []) {
				const search = mode.typeOptions?.searchListMethod;
				if (search) expect(typeof methods[search]).toBe('function');
			}
		}
		// not declarative: n8n adds no request options of its own
		const copy = Object.assign(
			Object.create(Object.getPrototypeOf(node) as object) as INodeType,
			node,
			{
				description: { ...description, properties: [...description.properties] },
			},
		);
		DirectoryLoader.applyDeclarativeNodeOptionParameters(copy);
		expect(copy.description.properties.map((p) => p.name)).toEqual(
			description.properties.map((p) => p.name),
		);
	});
});

test("the polling trigger gets n8n's Poll Times, the webhook trigger answers POSTs itself", () => {
	expect(new TracyTrigger().description.polling).toBe(true);
	expect((commonPollingParameters as Array<{ name: string }>).map((p) => p.name)).toContain(
		'pollTimes',
	);
	const [webhook] = new TracyAutomationTrigger().description.webhooks!;
	expect([webhook.httpMethod, webhook.responseMode, webhook.path]).toEqual([
		'POST',
		'onReceived',
		'tracy-automation',
	]);
});
