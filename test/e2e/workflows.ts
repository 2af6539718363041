/**
 * Workflows and credentials imported into the real n8n by the end-to-end tests and `npm run dev`.
 * n8n's `execute` command needs a Manual Trigger; input items come from core nodes (Edit Fields in
 * raw JSON mode, then Split Out) so that no Code node, and so no task runner, is needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { PACKAGE_NAME, REPO_ROOT } from './n8n';

export const TRACY_NODE_TYPE = `${PACKAGE_NAME}.tracy`;
export const TRACY_TRIGGER_TYPE = `${PACKAGE_NAME}.tracyTrigger`;
export const TRACY_AUTOMATION_TRIGGER_TYPE = `${PACKAGE_NAME}.tracyAutomationTrigger`;
/** The package's node names (a Tracy Tool keeps its name: n8n derives the tool from the node type); examples may spell their types with another prefix. */
const TRACY_NODE_NAMES = ['tracy', 'tracyTool', 'tracyTrigger', 'tracyAutomationTrigger'];
export const CREDENTIAL_TYPE = 'tracyApi';

export interface CredentialRef {
	id: string;
	name: string;
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, CredentialRef>;
	onError?: string;
	webhookId?: string;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	active?: boolean;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	[key: string]: unknown;
}

/** A credential for `n8n import:credentials`; n8n encrypts `data` with N8N_ENCRYPTION_KEY on import. */
export function tracyCredential(ref: CredentialRef, apiKey: string, baseUrl: string) {
	return { ...ref, type: CREDENTIAL_TYPE, data: { apiKey, baseUrl } };
}

let nodeCounter = 0;
function nodeId() {
	nodeCounter++;
	return `00000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`;
}

export function manualTrigger(name = 'Start', position: [number, number] = [0, 0]): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** Two core nodes that output `items` as separate n8n items; the second one is named `name`. */
export function itemsSource(
	name: string,
	items: object[],
	position: [number, number],
): WorkflowNode[] {
	return [
		{
			id: nodeId(),
			name: `${name} (data)`,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items }), options: {} },
		},
		{
			id: nodeId(),
			name,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [position[0] + 220, position[1]],
			parameters: { fieldToSplitOut: 'items', options: {} },
		},
	];
}

export function tracyNode(
	name: string,
	parameters: Record<string, unknown>,
	credential: CredentialRef,
	position: [number, number],
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: TRACY_NODE_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: credential },
		...extra,
	};
}

/** A resource locator by ID, as the editor saves one. */
export const byId = (value: number | string) => ({ __rl: true, mode: 'id', value: String(value) });

/** Lead → Create, Field by Field, of the item's `name` and `email` into the demo's Leads dataset. */
export function leadFromItem(
	name: string,
	credential: CredentialRef,
	position: [number, number],
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return tracyNode(
		name,
		{
			resource: 'lead',
			operation: 'create',
			dataset: byId(1),
			leadInput: 'fields',
			leadProperties: {
				values: [
					{ field: 'name', property: byId(1), value: '={{ $json.name }}' },
					{ field: 'email', property: byId(2), value: '={{ $json.email }}' },
				],
			},
		},
		credential,
		position,
		extra,
	);
}

/** Connects the nodes in order: a → b → c. */
export function chain(connections: WorkflowJson['connections'], ...names: string[]) {
	for (let i = 0; i + 1 < names.length; i++) {
		const from = (connections[names[i]] ??= { main: [[]] });
		from.main[0].push({ node: names[i + 1], type: 'main', index: 0 });
	}
	return connections;
}

export function workflow(
	id: string,
	name: string,
	nodes: WorkflowNode[],
	connections: WorkflowJson['connections'],
): WorkflowJson {
	if (id.length > 21) throw new Error(`workflow id ${id} is longer than n8n's 21 characters`);
	return {
		id,
		name,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

// ------------------------------------------------------------------------------------------------ examples

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

export function readExamples(): Array<{ file: string; workflow: WorkflowJson }> {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson,
		}));
}

/**
 * An example as it would be after importing it and picking a credential: the community node
 * type (examples may use the package's type as the editor writes it), every Tracy node on
 * `credential` unless `byExampleId` maps the credential id the example gives it, and a fixed id
 * so it can be opened or executed.
 */
export function adoptExample(
	example: WorkflowJson,
	id: string,
	credential: CredentialRef,
	byExampleId: Record<string, CredentialRef> = {},
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson;
	for (const node of copy.nodes) {
		const name = node.type.slice(node.type.lastIndexOf('.') + 1);
		if (TRACY_NODE_NAMES.includes(name)) {
			node.type = `${PACKAGE_NAME}.${name}`;
			node.credentials = { [CREDENTIAL_TYPE]: credential };
		}
	}
	// credentials the caller maps by the example's own credential ids (one key per tool, a trigger's token)
	for (const node of copy.nodes) {
		for (const [type, ref] of Object.entries(
			example.nodes.find((n) => n.id === node.id)?.credentials ?? {},
		)) {
			if (byExampleId[ref.id])
				node.credentials = { ...node.credentials, [type]: byExampleId[ref.id] };
		}
	}
	return { ...copy, id, active: false };
}

/**
 * The example with its Webhook trigger replaced by a Manual Trigger and nodes that output
 * `requests` shaped as the Webhook node outputs a request (`{ headers, params, query, body }`).
 * The last of those nodes takes the Webhook node's name, so `$('Webhook')` expressions still work.
 */
export function webhookAsManual(
	example: WorkflowJson,
	requests: Array<{ body: object; query?: object }>,
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson;
	const hook = copy.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	if (!hook) throw new Error(`workflow "${example.name}" has no Webhook node`);
	const items = requests.map(({ body, query }) => ({
		headers: { host: '127.0.0.1:5678', 'content-type': 'application/json', 'user-agent': 'e2e' },
		params: {},
		query: query ?? {},
		body,
		webhookUrl: `http://127.0.0.1:5678/webhook/${String(hook.parameters.path ?? '')}`,
		executionMode: 'production',
	}));
	const [x, y] = hook.position;
	const trigger = manualTrigger('Manual Trigger', [x - 440, y]);
	const source = itemsSource(hook.name, items, [x - 220, y]);
	copy.nodes = [trigger, ...source, ...copy.nodes.filter((n) => n !== hook)];
	copy.connections[trigger.name] = { main: [[{ node: source[0].name, type: 'main', index: 0 }]] };
	copy.connections[source[0].name] = { main: [[{ node: source[1].name, type: 'main', index: 0 }]] };
	// the Webhook's outgoing connections are now the Split Out node's, which carries its name
	return copy;
}
