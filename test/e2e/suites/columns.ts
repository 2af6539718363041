/**
 * The column mapper in a real n8n: its columns loaded through n8n's own REST call for
 * resource-mapper fields (what the editor asks when the Columns field opens), with a read key and
 * with a create-only key; and Lead → Create or Update run twice with the same email.
 */
import type { E2eContext } from '../scenario';
import { outputItems, scenario, selected, skip } from '../scenario';
import { N8nServer } from '../server';
import {
	chain,
	itemsSource,
	manualTrigger,
	TRACY_NODE_TYPE,
	tracyNode,
	workflow,
} from '../workflows';

const MAPPER =
	"Columns: the mapper loads Companies through n8n's REST call with types, the columns needed to move a record on marked (not required) and options; a create-only key is told why not";
const UPSERT =
	'Columns: Lead → Create or Update run twice with the same email makes one lead, then updates it';

interface MapperField {
	id: string;
	displayName: string;
	type?: string;
	required: boolean;
	defaultMatch: boolean;
	options?: Array<{ name: string; value: string }>;
}

export async function columnsSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (selected(MAPPER)) {
		if (!ops.has('record.create') || !ops.has('lead.upsert')) {
			skip(MAPPER, 'the built node has no column mapper');
		} else {
			const server = await N8nServer.start(folder);
			try {
				await scenario(
					MAPPER,
					emulator,
					async () => {
						const fields = async (
							credential: { id: string; name: string },
							parameters: Record<string, unknown>,
						) =>
							await server.rest<{ fields: MapperField[]; emptyFieldsNotice?: string }>(
								'POST',
								'dynamic-node-parameters/resource-mapper-fields',
								{
									nodeTypeAndVersion: { name: TRACY_NODE_TYPE, version: 1 },
									path: `parameters.${parameters.operation === 'create' ? 'columns' : 'upsertColumns'}`,
									methodName: 'getColumns',
									currentNodeParameters: parameters,
									credentials: { tracyApi: credential },
								},
							);
						return {
							companies: await fields(credentials.sales, {
								resource: 'record',
								operation: 'create',
								dataset: { __rl: true, mode: 'id', value: '2' },
							}),
							leads: await fields(credentials.sales, {
								resource: 'lead',
								operation: 'upsert',
								dataset: { __rl: true, mode: 'id', value: '1' },
							}),
							createOnly: await fields(credentials.webform, {
								resource: 'record',
								operation: 'create',
								dataset: { __rl: true, mode: 'id', value: '1' },
							}),
						};
					},
					(c, { companies, leads, createOnly, requests }) => {
						const byName = Object.fromEntries(companies.fields.map((f) => [f.displayName, f]));
						c.equal(
							byName['Name (needed to move on)']?.required,
							false,
							'Name is marked as needed to move on, and n8n does not require it',
						);
						c.equal(
							byName['Industry (needed to move on)']?.type,
							'options',
							'Industry is an option dropdown',
						);
						c.equal(
							byName['Industry (needed to move on)']?.options?.map((o) => o.name),
							['Software', 'Manufacturing', 'Retail'],
							"Industry's options",
						);
						c.equal(byName.Founded?.type, 'dateTime', 'Founded is a date field');
						c.equal(
							byName.Customer?.options?.map((o) => o.name),
							['Yes', 'No'],
							'Customer is a Yes/No choice',
						);
						c.equal(byName.Markets?.type, 'array', 'Markets (plural) is a list');
						c.equal(
							companies.fields.map((f) => f.id).includes('27'),
							false,
							'the automatic Created At is left out',
						);
						c.equal(
							leads.fields.filter((f) => f.defaultMatch).map((f) => f.displayName),
							['Email'],
							'Lead → Create or Update matches on Email by default',
						);
						c.equal(createOnly.fields, [], 'no columns for a create-only key');
						c.that(
							/may not read this dataset/.test(createOnly.emptyFieldsNotice ?? ''),
							`the create-only key is told why: ${createOnly.emptyFieldsNotice}`,
						);
						c.equal(
							requests.map((r) => `${r.method} ${r.path} ${r.status}`),
							['GET /v1/datasets/2 200', 'GET /v1/datasets/1 200', 'GET /v1/datasets/1 403'],
							'one dataset read per load',
						);
					},
				);
			} finally {
				await server.stop();
			}
		}
	}

	if (!selected(UPSERT)) return;
	if (!ops.has('lead.upsert')) return skip(UPSERT, 'the built node has no Lead → Create or Update');
	const email = 'columns.upsert@example.com';
	const build = (id: string, budget: number) => {
		const start = manualTrigger();
		const [data, lead] = itemsSource(
			'Lead',
			[{ Name: 'Columns Person', Email: email.toUpperCase(), Budget: String(budget) }],
			[220, 0],
		);
		const upsert = tracyNode(
			'Create or Update Lead',
			{
				resource: 'lead',
				operation: 'upsert',
				dataset: { __rl: true, mode: 'id', value: '1' },
				upsertColumns: {
					mappingMode: 'autoMapInputData',
					value: null,
					matchingColumns: ['2'],
					schema: [],
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
			},
			credentials.sales,
			[660, 0],
		);
		return workflow(
			id,
			'E2E: columns upsert',
			[start, data, lead, upsert],
			chain({}, start.name, data.name, lead.name, upsert.name),
		);
	};
	await folder.importWorkflows([build('e2eColumnsUpsert1', 100), build('e2eColumnsUpsert2', 300)]);
	const before = emulator.recordCount(1);
	await scenario(
		UPSERT,
		emulator,
		async () => {
			const first = await folder.execute('e2eColumnsUpsert1', 0);
			const second = await folder.execute('e2eColumnsUpsert2', 0);
			return {
				first: outputItems(first.execution, 'Create or Update Lead'),
				second: outputItems(second.execution, 'Create or Update Lead'),
			};
		},
		(c, { first, second, requests }) => {
			c.equal(first[0]?.created, true, 'the first run creates the lead');
			c.equal(second[0]?.created, false, 'the second run finds it');
			c.equal(second[0]?.id, first[0]?.id, 'the same lead');
			c.equal(second[0]?.Budget, 300, 'the second run writes the new budget');
			c.equal(second[0]?.changed, ['Budget'], 'and only the budget');
			c.equal(emulator.recordCount(1), before + 1, 'one lead more in Tracy');
			c.equal(
				requests.map((r) => `${r.method} ${r.path}`),
				[
					'GET /v1/datasets/1',
					'GET /v1/records',
					'POST /v1/records',
					'GET /v1/records',
					'GET /v1/datasets/1',
					'GET /v1/records',
					'PUT /v1/datums',
				],
				'one dataset read and one list request per run, then the create (and its look-up for a twin) or the one changed value',
			);
		},
	);
}
