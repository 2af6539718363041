/**
 * The web-form example as a user runs it: imported, activated, and sent submissions on its
 * production webhook URL by a running n8n (not `n8n execute`).
 */
import type { E2eContext } from '../scenario';
import { scenario, selected, skip } from '../scenario';
import { N8nServer, publishWorkflows } from '../server';
import { adoptExample, readExamples } from '../workflows';

const NAME =
	'Webhook: the web-form example, active, creates one lead per submission on its production URL';

export async function webhookSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(NAME)) return;
	const example = readExamples().find((e) => e.file === 'web-form-lead.json')?.workflow;
	if (!example || !ops.has('lead.create'))
		return skip(NAME, 'no web-form example or no Lead → Create');
	const id = 'e2eWebhookActive';
	await folder.importWorkflows([adoptExample(example, id, credentials.webform)]);
	await publishWorkflows(folder, [id]);
	const hook = example.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
	const server = await N8nServer.start(folder);
	const submissions = [
		{ name: 'Grace Hopper', email: 'grace@example.com', company: 'Navy' },
		{ name: 'Katherine Johnson', email: 'katherine@example.com' },
	];
	try {
		await scenario(
			NAME,
			emulator,
			async () => {
				// n8n answers before it has registered the published workflow's webhook
				await server.waitForWebhook(server.webhookUrl(String(hook.parameters.path)));
				const answers = [];
				for (const body of submissions) {
					const res = await fetch(server.webhookUrl(String(hook.parameters.path)), {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(body),
					});
					answers.push({ status: res.status, text: await res.text() });
				}
				const executions = await server.executions(id, submissions.length);
				return { answers, executions };
			},
			(c, { answers, executions, requests }) => {
				c.equal(
					answers.map((a) => a.status),
					submissions.map(() => 200),
					'the webhook answered each submission',
				);
				c.equal(executions.length, submissions.length, 'one execution per submission');
				c.that(
					executions.every((e) => e.status === 'success'),
					`every execution succeeded: ${executions.map((e) => e.status).join(', ')}`,
				);
				const creates = requests.filter((r) => r.method === 'POST' && r.path === '/v1/records');
				c.equal(creates.length, submissions.length, 'one create per submission');
				c.equal(requests.length, creates.length, 'nothing but creates reached Tracy');
				c.that(
					creates.every((r) => r.headers['x-api-key'] === emulator.keyFor('webform')),
					'every create carries the web-form key',
				);
				const emails = creates.map(
					(r) =>
						(
							(r.body as { datums?: Array<{ property: { id: number }; value: unknown }> }).datums ??
							[]
						).find((d) => d.property.id === 2)?.value,
				);
				c.equal(
					emails.sort(),
					submissions.map((s) => s.email).sort(),
					"each submission's email reached Tracy once",
				);
				const leadNode = example.nodes.find((n) => n.type.endsWith('.tracy'))!.name;
				const ids = executions.map((e) => {
					const run = e.data?.resultData?.runData?.[leadNode]?.[0] as
						| { data?: { main?: Array<Array<{ json: { id?: unknown } }>> } }
						| undefined;
					return run?.data?.main?.[0]?.[0]?.json.id;
				});
				const stored = new Set(emulator.storedRecords(1).map((r) => r.id));
				c.that(
					ids.every((i) => stored.has(i as number)),
					`each execution output the lead Tracy stored: ${JSON.stringify(ids)}`,
				);
			},
			{ onFailure: () => server.logTail(60) },
		);
	} finally {
		await server.stop();
	}
}
