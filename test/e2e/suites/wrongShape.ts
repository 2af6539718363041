/**
 * When Tracy answers in a shape the node does not understand: in a real n8n, a create answered
 * "200 OK" with text is an error item (Continue On Fail), never `created: true`.
 */
import type { E2eContext } from '../scenario';
import { outputItems, scenario, selected, skip } from '../scenario';
import { chain, itemsSource, leadFromItem, manualTrigger, workflow } from '../workflows';

const NAME =
	'Wrong shape: a create answered 200 with text is an error item, the other lead is created';

export async function wrongShapeSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(NAME)) return;
	if (!ops.has('lead.create')) return skip(NAME, 'the built node has no Lead → Create');
	const id = 'e2eWrongShape';
	const start = manualTrigger();
	const [data, leads] = itemsSource(
		'Leads',
		[
			{ name: 'Shape Fine', email: 'fine@example.com' },
			{ name: 'Shape Wrong', email: 'wrongshape@example.com' },
		],
		[220, 0],
	);
	const create = leadFromItem('Create Lead', credentials.webform, [660, 0], {
		onError: 'continueRegularOutput',
	});
	const connections = chain({}, start.name, data.name, leads.name, create.name);
	await folder.importWorkflows([
		workflow(id, 'E2E: wrong shape', [start, data, leads, create], connections),
	]);
	// the create is stored, then answered with text instead of the record (A13 broken)
	emulator.faults.push({
		match: (r) => r.method === 'POST' && r.rawBody.includes('wrongshape@'),
		status: 200,
		body: 'OK, thanks',
		times: 1,
		afterProcessing: true,
	});
	await scenario(
		NAME,
		emulator,
		() => folder.execute(id, 0),
		(c, { execution, requests }) => {
			c.equal(
				execution.status ?? (execution.finished ? 'success' : 'failed'),
				'success',
				'execution status (Continue On Fail)',
			);
			c.equal(
				requests.map((r) => `${r.method} ${r.path} ${r.status}`),
				['POST /v1/records 200', 'POST /v1/records 200'],
				'one create per lead, none sent twice',
			);
			const items = outputItems(execution, 'Create Lead');
			c.equal(items.length, 2, 'one output item per lead');
			c.that(
				items[0]?.created === true && typeof items[0]?.id === 'number',
				`lead 1 created with its id: ${JSON.stringify(items[0])}`,
			);
			c.that(
				!('created' in (items[1] ?? {})) && !('0' in (items[1] ?? {})),
				`lead 2 does not claim "created": ${JSON.stringify(items[1])}`,
			);
			c.that(
				typeof items[1]?.message === 'string' &&
					items[1].message.startsWith(
						"Tracy's answer to POST /v1/records is not what the node expects: the answer is text",
					),
				`lead 2 is an error item naming the wrong answer: ${JSON.stringify(items[1]?.message)}`,
			);
			c.equal(
				(items[1]?.error as { outcome?: string } | undefined)?.outcome,
				'unknown',
				'and says the lead may be stored (a 2xx whose answer is not understood)',
			);
			c.that(
				!JSON.stringify(execution).includes(emulator.keyFor('webform')),
				'the key appears nowhere in the execution',
			);
		},
	);
}
