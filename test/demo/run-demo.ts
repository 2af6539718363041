/**
 * `npm start`: the web-form lead scenario. Three form submissions go through the Tracy node of
 * examples/web-form-lead.json, run by n8n's engine with the create-only web-form key against the
 * Tracy emulator, and the leads Tracy stored are printed. Set TRACY_BASE_URL, TRACY_API_KEY and
 * TRACY_DATASET_ID to send the same submissions to another Tracy (the emulator is then not started;
 * the property IDs of the example must match that dataset).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator/server';
import { runNode } from '../harness';

process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';

const submissions = [
	{
		name: 'Marie Curie',
		email: 'marie@example.com',
		company: 'Radium Institute',
		message: 'Interested in a demo',
		utm_source: 'newsletter',
		utm_campaign: 'autumn',
	},
	{
		name: 'Nikola Tesla',
		email: 'nikola@example.com',
		phone: '+1 555 0199',
		utm_source: 'google',
		utm_medium: 'cpc',
	},
	{ name: 'Rosalind Franklin', email: 'rosalind@example.com', message: 'Please call me back' },
];

async function main() {
	const example = JSON.parse(
		readFileSync(join(__dirname, '..', '..', '..', 'examples', 'web-form-lead.json'), 'utf8'),
	) as {
		nodes: Array<{ type: string; parameters: INodeParameters }>;
	};
	const parameters = example.nodes.find((n) => n.type === 'n8n-nodes-tracy.tracy')!.parameters;
	const external = process.env.TRACY_BASE_URL;
	const emulator = external ? undefined : await startEmulator();
	const baseUrl = external ?? emulator!.url;
	const apiKey = process.env.TRACY_API_KEY ?? emulator?.keyFor('webform') ?? '';
	if (process.env.TRACY_DATASET_ID)
		parameters.dataset = { __rl: true, mode: 'id', value: process.env.TRACY_DATASET_ID };
	console.log(`Tracy: ${external ? baseUrl : `the emulator at ${baseUrl} (demo workspace)`}`);
	console.log(
		'Workflow: examples/web-form-lead.json, three form submissions, the create-only "Web form" key\n',
	);
	try {
		// what the Webhook node hands on: the form's JSON under `body`
		const items = submissions.map((body) => ({ headers: {}, params: {}, query: {}, body }));
		const result = await runNode({
			parameters,
			items,
			credentials: { apiKey, baseUrl },
			onError: 'continueRegularOutput',
		});
		if (result.error) throw result.error;
		console.log(
			"What the Tracy node output (Tracy's answer; the key may not view the lead, so no values come back):",
		);
		for (const item of result.items) {
			const { id, state, created, sent, error } = item.json as Record<string, unknown>;
			console.log(
				`  ${JSON.stringify(error ? { error } : { id, state: typeof state === 'object' ? (state as { name?: string } | null)?.name : state, created, sent })}`,
			);
		}
		if (emulator) {
			console.log(
				`\nRequests Tracy received: ${emulator.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ')}`,
			);
			console.log(
				`Reads among them: ${emulator.requests.filter((r) => r.method === 'GET').length}`,
			);
			console.log('\nThe leads Tracy stored:');
			for (const record of emulator.storedRecords(1).slice(-submissions.length)) {
				const values = Object.fromEntries(
					(record.datums as Array<{ property: { name: string }; value: unknown }>).map((d) => [
						d.property.name,
						d.value,
					]),
				);
				console.log(
					`  #${String(record.id)} [${(record.state as { name: string }).name}] ${JSON.stringify(values)}`,
				);
			}
		}
	} finally {
		await emulator?.stop();
	}
}

main().catch((error: Error & { description?: string }) => {
	console.error(
		`Demo failed: ${error.message}${error.description ? `\n${error.description}` : ''}`,
	);
	process.exit(1);
});
