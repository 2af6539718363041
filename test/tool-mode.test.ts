/**
 * The Tracy node as an AI tool, through the engine: the tool n8n-core builds from the node (name,
 * description, input schema from the `$fromAI` parameters), and the node run with the arguments a
 * model sends, which the engine resolves into those parameters. The tool parameters are those of
 * examples/tracy-tools-mcp.json, so the example is what is tested.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode, INodeParameters, INodeType } from 'n8n-workflow';
// n8n-core's own tool factory, the one its engine uses for a node without `supplyData`
import { createNodeAsTool } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';

import { Tracy } from '../nodes/Tracy/Tracy.node';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, moveParams, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const example = JSON.parse(
	fs.readFileSync(path.join(__dirname, '..', 'examples', 'tracy-tools-mcp.json'), 'utf8'),
) as {
	nodes: Array<INode & { credentials?: { tracyApi?: { id: string } } }>;
};
const toolNode = (name: string) => {
	const node = example.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no ${name} in the example`);
	return node;
};
const keyOf = (name: string) =>
	toolNode(name).credentials?.tracyApi?.id === 'tracyWebFormKey' ? 'webform' : 'assistant';

const tracy = new Tracy() as INodeType;

/** The node's tool as n8n-core makes it; invoking it runs the node with the model's arguments as its input item. */
function tool(name: string, parameters: INodeParameters = toolNode(name).parameters) {
	const node: INode = { ...toolNode(name), parameters };
	const runs: Array<Awaited<ReturnType<typeof runNode>>> = [];
	const { response } = createNodeAsTool({
		node,
		nodeType: tracy,
		handleToolInvocation: async (args: unknown) => {
			const run = await runNode({
				parameters,
				items: [args as IDataObject],
				credentials: credentialsFor(emulator, keyOf(name)),
				onError: 'continueRegularOutput',
			});
			runs.push(run);
			return JSON.stringify(run.items.map((i) => i.json));
		},
	} as unknown as Parameters<typeof createNodeAsTool>[0]);
	return {
		tool: response as {
			name: string;
			description: string;
			schema: { shape: Record<string, { description?: string }> };
			invoke: (args: object) => Promise<string>;
		},
		runs,
	};
}

describe('Tracy as a tool: what the model sees', () => {
	it('asks the model only for what it can know; dataset, mapping and key stay fixed', () => {
		expect(Object.keys(tool('create_lead').tool.schema.shape).sort()).toEqual([
			'company',
			'email',
			'message',
			'name',
			'phone',
		]);
		expect(Object.keys(tool('find_leads').tool.schema.shape)).toEqual(['email']);
		expect(Object.keys(tool('move_lead').tool.schema.shape).sort()).toEqual(['recordId', 'state']);
		expect(tool('move_lead').tool.schema.shape.state.description).toMatch(
			/New, Qualified, Won or Lost/,
		);
	});

	it('is named after the node, with the description the builder wrote', () => {
		const { tool: create } = tool('create_lead');
		expect(create.name).toBe('create_lead');
		expect(create.description).toBe(toolNode('create_lead').parameters.toolDescription);
	});

	it("describes itself from the operation's action when the description is automatic", () => {
		const auto = (name: string) =>
			tool(name, { ...toolNode(name).parameters, descriptionType: 'auto' }).tool.description;
		expect(auto('create_lead')).toBe('Create a lead in Tracy');
		expect(auto('find_leads')).toBe('Get many leads in Tracy');
		expect(auto('move_lead')).toBe('Move a record to another state in Tracy');
	});

	it('refuses arguments that do not match the schema before the node runs', async () => {
		const { tool: move, runs } = tool('move_lead');
		await expect(move.invoke({ recordId: 'five', state: 'Qualified' })).rejects.toThrow(/schema/i);
		expect(runs).toHaveLength(0);
		expect(emulator.requests).toHaveLength(0);
	});
});

describe("Tracy as a tool: the engine resolves the model's arguments", () => {
	it('create_lead: one POST with the arguments in the fixed dataset and properties, nothing read', async () => {
		const { tool: create } = tool('create_lead');
		const answer = JSON.parse(
			await create.invoke({
				name: 'Dorothy Vaughan',
				email: 'dorothy@example.com',
				phone: '',
				company: 'NACA',
				message: 'Call back',
			}),
		) as Array<Record<string, unknown>>;
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/records']);
		expect(emulator.requests[0].headers['x-api-key']).toBe(emulator.keyFor('webform'));
		expect(emulator.requests[0].body).toEqual({
			dataset: { id: 1 },
			datums: [
				{ property: { id: 1 }, value: 'Dorothy Vaughan' },
				{ property: { id: 2 }, value: 'dorothy@example.com' },
				{ property: { id: 4 }, value: 'NACA' },
				{ property: { id: 5 }, value: 'Call back' },
			],
		});
		expect(answer).toHaveLength(1);
		// simplified by default: the state by name
		expect(answer[0]).toMatchObject({ created: true, state: 'New' });
		expect(emulator.storedRecords(1).some((r) => r.id === answer[0].id)).toBe(true);
	});

	it('create_lead: an email that is not one comes back as an error the model can read, nothing sent', async () => {
		const { tool: create } = tool('create_lead');
		const answer = await create.invoke({
			name: 'X',
			email: 'not an email',
			phone: '',
			company: '',
			message: '',
		});
		expect(answer).toMatch(
			/Lead Properties › Email › Value \\"not an email\\" is not an email address/,
		);
		expect(emulator.requests).toHaveLength(0);
	});

	it('find_leads: filters by the email the model gives', async () => {
		const { tool: find } = tool('find_leads');
		const answer = JSON.parse(await find.invoke({ email: 'grace@example.com' })) as Array<
			Record<string, unknown>
		>;
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0].query).toMatchObject({
			dataset: '1',
			'property[2]': 'grace@example.com',
		});
		expect(answer.map((a) => [a.id, a.state, a.Email])).toEqual([
			[2, 'Qualified', 'grace@example.com'],
		]);
	});

	it('move_lead: a state by name, in any letter case, is resolved through the dataset', async () => {
		const { tool: move } = tool('move_lead');
		const answer = JSON.parse(await move.invoke({ recordId: 1, state: ' qualified ' })) as Array<
			Record<string, unknown>
		>;
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /v1/datasets/1 200',
			'POST /v1/moves 200',
		]);
		expect(emulator.requests[1].body).toEqual({ record: { id: 1 }, state: { id: 2 } });
		expect(answer[0]).toMatchObject({ id: 1, state: 'Qualified' });
	});

	it('move_lead: an unknown state name lists the states, and nothing is moved', async () => {
		const { tool: move } = tool('move_lead');
		const answer = await move.invoke({ recordId: 1, state: 'Closed' });
		expect(answer).toContain(
			'State \\"Closed\\" is not a state of dataset 1; its states are \\"New\\", \\"Qualified\\", \\"Won\\", \\"Lost\\"',
		);
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/1']);
	});

	it("move_lead: a move the key's role forbids returns Tracy's 403 message", async () => {
		const { tool: move } = tool('move_lead');
		const answer = await move.invoke({ recordId: 3, state: 'Lost' });
		expect(answer).toMatch(/The API key's role lacks the \\"move\\" permission on record 3/);
		expect(answer).not.toContain(emulator.keyFor('assistant'));
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /v1/datasets/1 200',
			'POST /v1/moves 403',
		]);
	});

	it('move_lead: a required value missing for the move is named', async () => {
		// Katherine Johnson (record 5) has no phone, which Tracy requires past New
		const { tool: move } = tool('move_lead');
		const answer = await move.invoke({ recordId: 5, state: 'Qualified' });
		expect(answer).toMatch(/Tracy refused to move the record: Phone/);
	});
});

describe('the Dataset tools: what an agent learns before it writes', () => {
	it('list_datasets takes no argument and lists the datasets the key may see', async () => {
		const { tool: list } = tool('list_datasets');
		expect(Object.keys(list.schema.shape)).toEqual([]);
		const answer = JSON.parse(await list.invoke({})) as Array<Record<string, unknown>>;
		// the assistant key's role views the leads dataset only
		expect(answer).toEqual([{ id: 1, name: 'Leads' }]);
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets']);
	});

	it('describe_dataset takes a dataset ID and gives its properties, types, options and states in order', async () => {
		const { tool: describeIt } = tool('describe_dataset');
		expect(Object.keys(describeIt.schema.shape)).toEqual(['datasetId']);
		const [dataset] = JSON.parse(await describeIt.invoke({ datasetId: 1 })) as Array<{
			properties: Array<Record<string, unknown>>;
			states: Array<Record<string, unknown>>;
		}>;
		expect(dataset.states.map((s) => s.name)).toEqual(['New', 'Qualified', 'Won', 'Lost']);
		expect(dataset.properties.find((p) => p.name === 'Source')).toMatchObject({
			type: 'option',
			options: [{ text: 'Website' }, { text: 'Referral' }, { text: 'Event' }, { text: 'Ads' }],
		});
		expect(dataset.properties.find((p) => p.name === 'Tags')).toMatchObject({
			type: 'options',
			plural: true,
		});
		expect(dataset.properties.find((p) => p.name === 'Name')).toMatchObject({ required: true });
		const forbidden = await describeIt.invoke({ datasetId: 2 });
		expect(forbidden).toMatch(/lacks the \\"view\\" permission/);
	});
});

describe('Move to State by name without a model', () => {
	it("a key that may not read the dataset gets Tracy's refusal naming the dataset", async () => {
		const result = await runNode({
			parameters: moveParams(1, rl('Qualified', 'name'), { resource: 'lead' }),
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error?.message).toMatch(/lacks .* on dataset 1/);
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/1']);
	});
});
