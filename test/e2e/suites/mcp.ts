/**
 * The "Tracy tools over MCP" example as an outside assistant uses it: imported, published, and
 * driven on its production MCP URL by a real MCP client (@modelcontextprotocol/sdk, streamable
 * HTTP, bearer token), with no model: the client lists the tools and calls them with arguments.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import type { ReceivedRequest } from '../../emulator/server';
import type { E2eContext } from '../scenario';
import { scenario, selected, skip } from '../scenario';
import { sleep } from '../n8n';
import { N8nServer, publishWorkflows } from '../server';
import type { CredentialRef } from '../workflows';
import { adoptExample, readExamples, tracyCredential } from '../workflows';

const NAME =
	'MCP: Tracy tools behind the MCP Server Trigger, listed and called by a real MCP client';
const DATASETS = 'Columns: the Dataset tools listed and called over the MCP Server Trigger';
const LINKED =
	'MCP: an agent reads the Leads schema with describe_dataset, then creates and updates leads linked to companies by their names';
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

/** A client with the token; run alone, a scenario may start before n8n has registered the published trigger. */
async function connect(url: URL): Promise<Client> {
	for (let attempt = 0; ; attempt++) {
		const client = new Client({ name: 'n8n-nodes-tracy-e2e', version: '1.0.0' });
		try {
			await client.connect(
				new StreamableHTTPClientTransport(url, {
					requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
				}),
			);
			return client;
		} catch (error) {
			if (attempt >= 120) throw error;
			await sleep(500);
		}
	}
}

/** A relation's value as a record ID, whether given as `6`, `[6]` or `{ id: 6 }`. */
function linkedId(value: unknown): unknown {
	const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
	return one && typeof one === 'object' && 'id' in one ? (one as { id: unknown }).id : one;
}

export async function mcpSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(NAME) && !selected(DATASETS) && !selected(LINKED)) return;
	const example = readExamples().find((e) => e.file === EXAMPLE)?.workflow;
	if (
		!example ||
		!['lead.create', 'lead.getAll', 'lead.upsert', 'record.move'].every((op) => ops.has(op))
	) {
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
			// the emulator's sales key: leads and companies (its role may also delete; nothing here does)
			tracySalesKey: credentials.sales,
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
					[
						'create_lead',
						'create_or_update_lead',
						'describe_dataset',
						'find_leads',
						'list_datasets',
						'move_lead',
					],
					'the client lists the six Tracy tools by their node names',
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
				const client = await connect(url);
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

		// An agent with no model: it learns from describe_dataset which property links a lead to a
		// company and that the company's name is enough, then writes the name it was told.
		const people = [
			{ name: 'Ada Agent', email: 'ada.agent@example.com', company: '  analytical ENGINES ltd ' },
			{ name: 'Bob Agent', email: 'bob.agent@example.com', company: 'MCP Agent Co' },
		];
		await scenario(
			LINKED,
			emulator,
			async () => {
				const client = await connect(url);
				try {
					const { tools } = await client.listTools();
					const described = (await client.callTool({
						name: 'describe_dataset',
						arguments: { datasetId: 1 },
					})) as ToolResult;
					const properties = (parsed(described)[0]?.properties ?? []) as Array<
						Record<string, unknown>
					>;
					// the property whose value may be a linked record's title, and the tool argument of its name
					const relation = properties.find(
						(p) => p.linksTo && /title/i.test(String(p.accepts ?? '')),
					);
					const tool = tools.find((t) => t.name === 'create_or_update_lead');
					const argNames = Object.keys(
						(tool?.inputSchema as { properties?: object } | undefined)?.properties ?? {},
					);
					const relationArg = argNames.find(
						(a) => a.toLowerCase() === String(relation?.name ?? '').toLowerCase(),
					);
					const calls: Array<{ result: ToolResult; requests: ReceivedRequest[] }> = [];
					const call = async (person: (typeof people)[number]) => {
						const from = emulator.requests.length;
						const result = (await client.callTool({
							name: 'create_or_update_lead',
							arguments: {
								name: person.name,
								email: person.email,
								[relationArg ?? 'account']: person.company,
							},
						})) as ToolResult;
						calls.push({ result, requests: emulator.requests.slice(from) });
					};
					await call(people[0]);
					await call(people[1]);
					// Ada moved to the new company: the same lead, updated, the company found by name
					await call({ ...people[0], company: 'mcp agent CO' });
					return { tools, described, properties, relation, relationArg, calls };
				} finally {
					await client.close();
				}
			},
			(c, out) => {
				c.that(
					!out.described.isError,
					`describe_dataset succeeded: ${text(out.described).slice(0, 200)}`,
				);
				const account = out.properties.find((p) => p.name === 'Account');
				c.equal(account?.type, 'relation', 'describe_dataset: Account is a relation');
				c.that(
					/title/i.test(String(account?.accepts ?? '')),
					`describe_dataset: Account accepts the linked record's title: ${String(account?.accepts)}`,
				);
				// the read-and-move key may not view Companies: the linked dataset is known by its ID only
				c.equal(
					account?.linksTo,
					{ id: 2, name: null, titleProperty: null },
					'describe_dataset: Account links to dataset 2, whose name the read-and-move key may not see',
				);
				c.equal(
					out.properties.filter((p) => p.linksTo).map((p) => p.name),
					['Account'],
					'Account is the one relation of Leads',
				);
				c.equal(out.relation?.name, 'Account', 'the agent finds the relation that takes a title');
				c.equal(
					out.relationArg,
					'account',
					'and the create_or_update_lead argument of the same name',
				);
				const tool = out.tools.find((t) => t.name === 'create_or_update_lead');
				const inputs = (tool?.inputSchema ?? {}) as {
					properties?: Record<string, { type?: string; description?: string }>;
				};
				c.equal(
					Object.keys(inputs.properties ?? {}).sort(),
					['account', 'email', 'name'],
					'create_or_update_lead asks for name, email and account, nothing else',
				);
				c.that(
					/company/i.test(inputs.properties?.account?.description ?? ''),
					'create_or_update_lead: account is described as the company name',
				);
				const description = tool?.description ?? '';
				c.that(
					/title/i.test(description) &&
						/company's name/i.test(description) &&
						/2026-12-03/.test(description) &&
						/options by their text/i.test(description) &&
						/users by ID, email or name/i.test(description),
					`create_or_update_lead: its description says how to pass relations, dates, options and users (${description.slice(0, 80)}…)`,
				);

				const [first, second, third] = out.calls;
				for (const [i, call] of out.calls.entries()) {
					c.that(
						!call.result.isError,
						`call ${i + 1} succeeded: ${text(call.result).slice(0, 300)}`,
					);
					c.that(
						call.requests.every((r) => r.headers['x-api-key'] === emulator.keyFor('sales')),
						`call ${i + 1}: every request carries the key of create_or_update_lead`,
					);
				}
				type Body = {
					dataset?: { id?: number };
					datums?: Array<{ property: { id: number }; value: unknown }>;
				};
				const posts = (call: (typeof out.calls)[number] | undefined, dataset: number) =>
					(call?.requests ?? []).filter(
						(r) =>
							r.method === 'POST' &&
							r.path === '/v1/records' &&
							(r.body as Body | undefined)?.dataset?.id === dataset,
					);
				const company = (title: string) =>
					emulator
						.storedRecords(2)
						.filter((r) =>
							((r.datums ?? []) as Body['datums'])!.some(
								(d) =>
									d.property.id === 20 &&
									String(d.value).trim().toLowerCase() === title.trim().toLowerCase(),
							),
						);
				const stored = (id: unknown) => emulator.storedRecords(1).find((r) => r.id === id);
				const accountOf = (record: { datums?: unknown } | undefined) =>
					linkedId(
						((record?.datums ?? []) as NonNullable<Body['datums']>).find(
							(d) => d.property.id === 15,
						)?.value,
					);

				// 1: an existing company, named loosely
				const ada = parsed(first?.result ?? {})[0] ?? {};
				c.equal(ada.created, true, 'call 1 creates the lead');
				c.equal(posts(first, 2).length, 0, 'call 1 creates no company');
				c.equal(
					posts(first, 1).map((r) => accountOf(r.body as Body)),
					[6],
					'call 1: one lead sent to Tracy, linked to Analytical Engines Ltd (record 6)',
				);
				c.equal(linkedId(ada.Account), 6, 'call 1 returns Account as record 6');

				// 2: a company Tracy does not have: created once, with its name alone
				const bob = parsed(second?.result ?? {})[0] ?? {};
				const made = company(people[1].company);
				c.equal(made.length, 1, `one company "${people[1].company}" in Tracy`);
				c.equal(
					posts(second, 2).map((r) => r.body),
					[{ dataset: { id: 2 }, datums: [{ property: { id: 20 }, value: people[1].company }] }],
					'call 2 creates the company with its title alone',
				);
				c.equal(bob.created, true, 'call 2 creates the lead');
				c.equal(accountOf(stored(bob.id)), made[0]?.id, 'call 2: the lead links the new company');

				// 3: the same email again, another company spelling: the lead updated, no company made
				const again = parsed(third?.result ?? {})[0] ?? {};
				c.equal(again.created, false, 'call 3 finds the lead by email');
				c.equal(again.id, ada.id, 'call 3: the same lead as call 1');
				c.equal(again.changed, ['Account'], 'call 3 changes the account only');
				c.equal(posts(third, 1).length + posts(third, 2).length, 0, 'call 3 creates nothing');
				c.equal(company(people[1].company).length, 1, `still one company "${people[1].company}"`);
				c.equal(accountOf(stored(ada.id)), made[0]?.id, 'call 3: Tracy stored the new account');
				c.that(
					out.calls.every((call) => call.requests.every((r) => r.method !== 'DELETE')),
					'nothing was deleted',
				);
			},
			{ onFailure: () => server.logTail(80) },
		);
	} finally {
		await server.stop();
	}
}
