/**
 * What the node's engine relies on in n8n's declarative engine (docs/development.md › "What the
 * node relies on in n8n"), checked in a real n8n of each line of the compatibility matrix:
 * - n8n hands every item to the operation's runner (`routing.operations.pagination`) before any
 *   item's request is answered;
 * - n8n reports the lowest failed item only once every item has settled, so that the error's
 *   summary counts the writes of the items that finished after it;
 * - the item's routed request comes with the path of the routing and the base URL of the credential.
 */
import type { E2eContext } from '../scenario';
import { nodeRun, scenario, selected, skip } from '../scenario';
import { resultData } from '../n8n';
import { chain, itemsSource, leadFromItem, manualTrigger, workflow } from '../workflows';

const NAME =
	'Engine: n8n hands every item over before any answer, and reports a failure once all have settled';

export async function engineSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(NAME)) return;
	if (!ops.has('lead.create')) return skip(NAME, 'the built node has no Lead → Create');
	const id = 'e2eEngineContract';
	const start = manualTrigger();
	const [data, leads] = itemsSource(
		'Leads',
		[
			{ name: 'Engine Refused', email: 'engine-refused@example.com' },
			{ name: 'Engine Two', email: 'engine-two@example.com' },
			{ name: 'Engine Three', email: 'engine-three@example.com' },
		],
		[220, 0],
	);
	const create = leadFromItem('Create Lead', credentials.webform, [660, 0]);
	await folder.importWorkflows([
		workflow(
			id,
			'E2E: engine contract',
			[start, data, leads, create],
			chain({}, start.name, data.name, leads.name, create.name),
		),
	]);
	// every answer is slow; the first lead's is a refusal that comes before the others' answers
	const creates = (r: { method: string; path: string }) =>
		r.method === 'POST' && r.path === '/v1/records';
	emulator.delays.push(
		{ match: (r) => creates(r) && r.rawBody.includes('engine-refused@'), ms: 300 },
		{ match: creates, ms: 1200 },
	);
	emulator.faults.push({
		match: (r) => creates(r) && r.rawBody.includes('engine-refused@'),
		status: 400,
		body: { title: 'Bad Request', status: 400, detail: 'Refused for the engine check.' },
		times: 1,
	});
	try {
		await scenario(
			NAME,
			emulator,
			() => folder.execute(id, 1),
			(c, { execution, requests }) => {
				const posts = requests.filter(creates);
				c.equal(posts.length, 3, 'one create per lead');
				c.equal(
					Math.max(...posts.map((r) => r.inFlight ?? 0)),
					3,
					'the three creates were in flight together: n8n handed every item over before any answer',
				);
				const error = resultData(execution).error ?? nodeRun(execution, 'Create Lead').error;
				c.that(
					typeof error?.message === 'string' &&
						error.message.startsWith('Tracy rejected the request'),
					`the execution fails with item 1's refusal: ${JSON.stringify(error?.message)}`,
				);
				c.that(
					String(error?.description ?? '').includes('Written: 2, failed: 1 (item 1), not sent: 0.'),
					`its summary counts the two leads answered after it: ${JSON.stringify(error?.description)}`,
				);
				c.that(
					String(error?.description ?? '').includes('The execution stopped at item 1 of 3'),
					'and names the item that stopped it',
				);
				const stored = JSON.stringify(emulator.storedRecords(1));
				c.that(
					stored.includes('engine-two@example.com') &&
						stored.includes('engine-three@example.com') &&
						!stored.includes('engine-refused@'),
					'the two other leads are in Tracy, the refused one is not',
				);
				c.that(
					posts.every((r) => r.headers['x-api-key'] === emulator.keyFor('webform')),
					"each create carried the credential's key, to the credential's base URL",
				);
			},
		);
	} finally {
		emulator.delays.length = 0;
	}
}
