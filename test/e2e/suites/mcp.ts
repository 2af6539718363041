/**
 * The "Tracy tools over MCP" example as an outside assistant uses it: imported, published, and
 * driven on its production MCP URL by a real MCP client (@modelcontextprotocol/sdk, streamable
 * HTTP, bearer token), with no model: the client lists the tools and calls them with arguments.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import type { E2eContext } from '../scenario';
import { scenario, selected, skip } from '../scenario';
import { sleep } from '../n8n';
import { N8nServer, publishWorkflows } from '../server';
import type { CredentialRef } from '../workflows';
import { adoptExample, readExamples, tracyCredential } from '../workflows';

const NAME =
	'MCP: Tracy tools behind the MCP Server Trigger, listed and called by a real MCP client';
const DATASETS = 'Columns: the Dataset tools listed and called over the MCP Server Trigger';
const EXAMPLE = 'tracy-tools-mcp.json';
const TOKEN = 'e2e-mcp-bearer-token-0123456789';

interface ToolResult {
	isError?: boolean;
	content?: Array<{ type: string; text?: string }>;
}

function text(result: ToolResult): string {
	return (result.content ?? []).map((c) => c.text ?? '').join('\n');
}

function parsed(result: ToolResult): Array<Record<string, unknown>> {
	try {
		const value = JSON.parse(text(result)) as unknown;
		return (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
	} catch {
		return [];
	}
}

export async function mcpSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(NAME) && !selected(DATASETS)) return;
	const example = readExamples().find((e) => e.file === EXAMPLE)?.workflow;
	if (!example || !['lead.create', 'lead.getAll', 'record.move'].every((op) => ops.has(op))) {
		return skip(NAME, `no ${EXAMPLE} or the built node lacks an operation it uses`);
	}
	const assistant: CredentialRef = {
		id: 'e2eTracyAssistant',
		name: 'Tracy emulator (sales assistant key)',
	};
	const bearer: CredentialRef = { id: 'e2eMcpBearer', name: 'MCP clients (e2e token)' };
	await folder.importCredentials([
		tracyCredential(assistant, emulator.keyFor('assistant'), emulator.url),
		{ ...bearer, type: 'httpBearerAuth', data: { token: TOKEN } },
	]);
	const id = 'e2eMcpTools';
	await folder.importWorkflows([
		adoptExample(example, id, credentials.webform, {
			tracyWebFormKey: credentials.webform,
			tracyAssistantKey: assistant,
			tracyMcpBearer: bearer,
		}),
	]);
	await publishWorkflows(folder, [id]);
	const trigger = example.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.mcpTrigger')!;
	const server = await N8nServer.start(folder);
	// the production URL: n8n's MCP endpoint (N8N_ENDPOINT_MCP, default "mcp") and the trigger's path
	const url = new URL(`${server.url}/mcp/${String(trigger.parameters.path)}`);
	const lead = {
		name: 'Mary Jackson',
		email: 'mary.jackson@example.com',
		phone: '+1 757 555 0199',
		company: 'Langley',
		message: 'Wants a demo next week.',
	};

	try {
		await scenario(
			NAME,
			emulator,
			async () => {
				// without the token the trigger refuses the client before any tool runs; n8n answers
				// before it has registered the published workflows, so a 404 means "not yet"
				let anonymous: Response;
				for (let attempt = 0; ; attempt++) {
					anonymous = await fetch(url, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							accept: 'application/json, text/event-stream',
						},
						body: JSON.stringify({
							jsonrpc: '2.0',
							id: 1,
							method: 'initialize',
							params: {
								protocolVersion: '2025-03-26',
								capabilities: {},
								clientInfo: { name: 'anonymous', version: '0' },
							},
						}),
					});
					await anonymous.text();
					if (anonymous.status !== 404 || attempt >= 120) break;
					await sleep(500);
				}

				const client = new Client({ name: 'n8n-nodes-tracy-e2e', version: '1.0.0' });
				const transport = new StreamableHTTPClientTransport(url, {
					requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
				});
				await client.connect(transport);
				try {
					const { tools } = await client.listTools();
					const before = emulator.requests.length;
					const created = (await client.callTool({
						name: 'create_lead',
						arguments: lead,
					})) as ToolResult;
					const createRequests = emulator.requests.slice(before);
					const found = (await client.callTool({
						name: 'find_leads',
						arguments: { email: lead.email },
					})) as ToolResult;
					const newId = parsed(created)[0]?.id;
					const moved = (await client.callTool({
						name: 'move_lead',
						arguments: { recordId: newId, state: 'qualified' },
					})) as ToolResult;
					const wrongState = (await client.callTool({
						name: 'move_lead',
						arguments: { recordId: newId, state: 'Closed' },
					})) as ToolResult;
					// record 3 is Won: the assistant key's role may not move leads out of Won
					const forbiddenFrom = emulator.requests.length;
					const forbidden = (await client.callTool({
						name: 'move_lead',
						arguments: { recordId: 3, state: 'Lost' },
					})) as ToolResult;
					const forbiddenRequests = emulator.requests.slice(forbiddenFrom);
					return {
						anonymousStatus: anonymous.status,
						tools,
						created,
						createRequests,
						found,
						newId,
						moved,
						wrongState,
						forbidden,
						forbiddenRequests,
					};
				} finally {
					await client.close();
				}
			},
			(c, out) => {
				c.that(
					out.anonymousStatus === 401 || out.anonymousStatus === 403,
					`a client without the bearer token is refused (got ${out.anonymousStatus})`,
				);

				// what a model sees: names, descriptions, input schemas
				const byName = new Map(out.tools.map((t) => [t.name, t]));
				c.equal(
					[...byName.keys()].sort(),
					['create_lead', 'describe_dataset', 'find_leads', 'list_datasets', 'move_lead'],
					'the client lists the five Tracy tools by their node names',
				);
				const schema = (name: string) =>
					(byName.get(name)?.inputSchema ?? {}) as {
						properties?: Record<string, { type?: string; description?: string }>;
						required?: string[];
					};
				c.equal(
					Object.keys(schema('create_lead').properties ?? {}).sort(),
					['company', 'email', 'message', 'name', 'phone'],
					'create_lead asks only for what a model can know (no dataset, mapping or key)',
				);
				c.equal(
					schema('create_lead').properties?.email?.type,
					'string',
					'create_lead: email is a string',
				);
				c.that(
					/email address/i.test(schema('create_lead').properties?.email?.description ?? ''),
					'create_lead: email carries its description',
				);
				c.equal(
					Object.keys(schema('find_leads').properties ?? {}),
					['email'],
					'find_leads asks for the email only',
				);
				c.equal(
					Object.keys(schema('move_lead').properties ?? {}).sort(),
					['recordId', 'state'],
					'move_lead asks for a record ID and a state',
				);
				c.equal(
					schema('move_lead').properties?.recordId?.type,
					'number',
					'move_lead: the record ID is a number',
				);
				c.that(
					/Qualified/.test(schema('move_lead').properties?.state?.description ?? ''),
					'move_lead: the state description names the states',
				);
				for (const tool of ['create_lead', 'find_leads', 'move_lead']) {
					const description = byName.get(tool)?.description ?? '';
					c.that(
						/Tracy/.test(description) && /Returns/.test(description),
						`${tool}: its description says what it does and returns (${description.slice(0, 60)}…)`,
					);
				}

				// create: one POST with the model's arguments, with the create-only key, and the new lead back
				c.that(!out.created.isError, `create_lead succeeded: ${text(out.created).slice(0, 300)}`);
				c.equal(
					out.createRequests.map((r) => `${r.method} ${r.path} ${r.status}`),
					['POST /v1/records 200'],
					'create_lead: exactly one POST reached Tracy, no read',
				);
				c.equal(
					out.createRequests[0]?.headers['x-api-key'],
					emulator.keyFor('webform'),
					'create_lead: sent with the create-only key',
				);
				c.equal(
					out.createRequests[0]?.body,
					{
						dataset: { id: 1 },
						datums: [
							{ property: { id: 1 }, value: lead.name },
							{ property: { id: 2 }, value: lead.email },
							{ property: { id: 3 }, value: lead.phone },
							{ property: { id: 4 }, value: lead.company },
							{ property: { id: 5 }, value: lead.message },
						],
					},
					"create_lead: the body holds the arguments in the builder's fixed dataset and properties",
				);
				const createdItem = parsed(out.created)[0] ?? {};
				const stored = emulator.storedRecords(1).find((r) => r.id === out.newId);
				c.that(
					typeof out.newId === 'number' && stored,
					`create_lead returned the new lead's ID, stored by Tracy (${String(out.newId)})`,
				);
				c.equal(createdItem.created, true, 'create_lead: created: true');

				// lookup: the lead by email, with the read-and-move key
				c.that(!out.found.isError, `find_leads succeeded: ${text(out.found).slice(0, 300)}`);
				const foundItems = parsed(out.found);
				c.equal(
					foundItems.map((i) => i.id),
					[out.newId],
					'find_leads returns the new lead',
				);
				c.equal(
					foundItems[0]?.Email,
					lead.email,
					'find_leads: simplified, with the email under its property name',
				);

				// move by state name
				c.that(!out.moved.isError, `move_lead succeeded: ${text(out.moved).slice(0, 300)}`);
				c.equal(
					parsed(out.moved)[0]?.state,
					'Qualified',
					'move_lead moved the lead to Qualified, named in any letter case',
				);
				const movedState = (
					emulator.storedRecords(1).find((r) => r.id === out.newId) as
						| { state?: { id?: number } }
						| undefined
				)?.state;
				c.equal(movedState?.id, 2, 'Tracy stored the lead in state 2 (Qualified)');

				// errors come back to the model as text it can act on
				c.equal(out.wrongState.isError, true, 'an unknown state name is an error result (isError)');
				c.that(
					/"Closed" is not a state/.test(text(out.wrongState)) &&
						/Qualified/.test(text(out.wrongState)),
					`the unknown state's error lists the states: ${text(out.wrongState).slice(0, 300)}`,
				);
				c.equal(
					out.forbidden.isError,
					true,
					'a move the role forbids is an error result (isError), not a failed call',
				);
				c.that(
					/lacks the "move" permission/.test(text(out.forbidden)),
					`the forbidden move returns Tracy's 403 message: ${text(out.forbidden).slice(0, 300)}`,
				);
				c.equal(
					out.forbiddenRequests.map((r) => `${r.method} ${r.path} ${r.status}`),
					['GET /v1/datasets/1 200', 'POST /v1/moves 403'],
					'the forbidden move reached Tracy once and was refused',
				);
				c.that(
					!text(out.forbidden).includes(emulator.keyFor('assistant')),
					'the key is not in the error',
				);
				c.that(
					emulator.requests.every((r) => r.method !== 'DELETE'),
					'nothing was deleted',
				);
			},
			{ onFailure: () => server.logTail(80) },
		);
		await scenario(
			DATASETS,
			emulator,
			async () => {
				// run alone, this scenario may start before n8n has registered the published trigger
				let client: Client;
				for (let attempt = 0; ; attempt++) {
					client = new Client({ name: 'n8n-nodes-tracy-e2e', version: '1.0.0' });
					try {
						await client.connect(
							new StreamableHTTPClientTransport(url, {
								requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
							}),
						);
						break;
					} catch (error) {
						if (attempt >= 120) throw error;
						await sleep(500);
					}
				}
				try {
					const { tools } = await client.listTools();
					const listed = (await client.callTool({
						name: 'list_datasets',
						arguments: {},
					})) as ToolResult;
					const described = (await client.callTool({
						name: 'describe_dataset',
						arguments: { datasetId: 1 },
					})) as ToolResult;
					const hidden = (await client.callTool({
						name: 'describe_dataset',
						arguments: { datasetId: 2 },
					})) as ToolResult;
					return { tools, listed, described, hidden };
				} finally {
					await client.close();
				}
			},
			(c, out) => {
				const schema = (name: string) =>
					(out.tools.find((t) => t.name === name)?.inputSchema ?? {}) as {
						properties?: Record<string, { type?: string }>;
					};
				c.equal(
					Object.keys(schema('list_datasets').properties ?? {}),
					[],
					'list_datasets takes no argument',
				);
				c.equal(
					schema('describe_dataset').properties?.datasetId?.type,
					'number',
					'describe_dataset takes a dataset ID, a number',
				);
				c.that(!out.listed.isError, `list_datasets succeeded: ${text(out.listed).slice(0, 200)}`);
				c.equal(
					parsed(out.listed),
					[{ id: 1, name: 'Leads' }],
					'list_datasets: the datasets the least-privilege key may see, with ID and name',
				);
				const dataset = parsed(out.described)[0] as {
					properties?: Array<Record<string, unknown>>;
					states?: Array<{ name?: string }>;
				};
				c.equal(
					dataset.states?.map((st) => st.name),
					['New', 'Qualified', 'Won', 'Lost'],
					'describe_dataset: the states in order',
				);
				const source = dataset.properties?.find((p) => p.name === 'Source');
				c.equal(source?.type, 'option', 'describe_dataset: a property with its type');
				c.equal(
					(source?.options as Array<{ text: string }> | undefined)?.map((o) => o.text),
					['Website', 'Referral', 'Event', 'Ads'],
					"describe_dataset: an option property's options",
				);
				c.equal(out.hidden.isError, true, 'a dataset the key may not view is an error result');
				c.that(
					/lacks the "view" permission/.test(text(out.hidden)),
					`the hidden dataset returns Tracy's 403 message: ${text(out.hidden).slice(0, 200)}`,
				);
			},
			{ onFailure: () => server.logTail(80) },
		);
	} finally {
		await server.stop();
	}
}
