/**
 * The two web-form examples as a visitor meets them, in a running n8n:
 * - Webhook → Tracy Lead → Respond to Webhook: JSON `{ ok }` for a page that posts with fetch, a
 *   303 to a thank-you page for a plain HTML form, CORS for the site's origin, a honeypot, consent,
 *   and refused submissions kept in a Data Table while the visitor still gets an answer;
 * - n8n Form Trigger → Tracy Lead: the hosted form, its thank-you text, UTM from the page's URL.
 * Each checks what the emulator received and what the visitor got back.
 */
import type { ReceivedRequest } from '../../emulator/server';
import type { Check, E2eContext } from '../scenario';
import { outputItems, scenario, selected, skip } from '../scenario';
import type { ServerExecution } from '../server';
import { KEPT_MESSAGE, KEPT_TABLE as TABLE, keptTable } from '../data-table';
import { major, N8nServer, publishWorkflows } from '../server';
import type { N8nUserFolder } from '../n8n';
import type { WorkflowJson } from '../workflows';
import { adoptExample, readExamples } from '../workflows';

const WEBHOOK =
	'Webform: Webhook → Tracy Lead → Respond to Webhook answers fetch with { ok }, a plain form with a redirect, and keeps refused submissions';
const FORM = 'Webform: n8n Form Trigger → Tracy Lead, the hosted form with its thank-you text';
const REPLAY =
	'Webform: a lost answer and Tracy down keep two submissions; the replay brings each into Tracy exactly once and empties the table';

const WEBHOOK_EXAMPLE = 'web-form-lead-respond.json';
const FORM_EXAMPLE = 'form-trigger-lead.json';
const REPLAY_EXAMPLE = 'web-form-lead-replay.json';
const ORIGIN = 'https://www.example.com';

type Datum = { property: { id: number }; value: unknown };
const datums = (r: ReceivedRequest) =>
	((r.body as { datums?: Datum[] }).datums ?? []).map((d) => [d.property.id, d.value]);
const creates = (requests: ReceivedRequest[]) =>
	requests.filter((r) => r.method === 'POST' && r.path === '/v1/records');

interface Answer {
	status: number;
	location: string | null;
	allowOrigin: string | null;
	json?: unknown;
	text: string;
}

async function answerOf(res: Response): Promise<Answer> {
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {
		status: res.status,
		location: res.headers.get('location'),
		allowOrigin: res.headers.get('access-control-allow-origin'),
		json,
		text,
	};
}

/** A copy of the webhook example on its own path and webhook ID (so both can be active at once). */
function onPath(example: WorkflowJson, path: string, webhookId: string): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson;
	const hook = copy.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
	hook.parameters.path = path;
	hook.webhookId = webhookId;
	return copy;
}

/**
 * n8n 1.x finds a Data Table by its ID only (2.x also by name, as the examples give it): on 1.x the
 * table is made first, and the examples point at it by ID, as a user re-picks it From List after importing.
 */
async function tableIdFor1x(folder: N8nUserFolder): Promise<string | undefined> {
	if (major(folder.install.n8nVersion) >= 2) return undefined;
	const server = await N8nServer.start(folder);
	try {
		return (await keptTable(server, TABLE))?.id;
	} finally {
		await server.stop();
	}
}

function onTable(workflow: WorkflowJson, tableId: string | undefined): WorkflowJson {
	if (!tableId) return workflow;
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.dataTable')
			node.parameters.dataTableId = { __rl: true, mode: 'id', value: tableId };
	}
	return copy;
}

function allSucceeded(c: Check, executions: ServerExecution[], count: number, what: string) {
	c.equal(executions.length, count, `${what}: one execution per request`);
	c.that(
		executions.every((e) => e.status === 'success'),
		`${what}: every execution succeeded: ${executions.map((e) => e.status).join(', ')}`,
	);
}

export async function webformSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(WEBHOOK) && !selected(FORM) && !selected(REPLAY)) return;
	const examples = readExamples();
	const webhookExample = examples.find((e) => e.file === WEBHOOK_EXAMPLE)?.workflow;
	const formExample = examples.find((e) => e.file === FORM_EXAMPLE)?.workflow;
	const replayExample = examples.find((e) => e.file === REPLAY_EXAMPLE)?.workflow;
	if (!webhookExample || !formExample || !replayExample || !ops.has('lead.create')) {
		for (const name of [WEBHOOK, FORM, REPLAY]) skip(name, 'examples or Lead → Create missing');
		return;
	}
	const ids = {
		respond: 'e2eWebformRespond',
		revoked: 'e2eWebformRevoked',
		form: 'e2eWebformForm',
		replay: 'e2eWebformReplay',
	};
	// the replay on n8n's shortest schedule, every minute, with a key that may view the email (the sales key)
	const replay = JSON.parse(JSON.stringify(replayExample)) as WorkflowJson;
	replay.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!.parameters.rule = {
		interval: [{ field: 'minutes', minutesInterval: 1 }],
	};
	const tableId = await tableIdFor1x(folder);
	await folder.importWorkflows([
		adoptExample(onTable(webhookExample, tableId), ids.respond, credentials.webform),
		adoptExample(
			onTable(
				onPath(webhookExample, 'tracy-lead-form-revoked', 'c3a1e5d2-7b4f-4e19-8a2d-5f6e7a8b9c99'),
				tableId,
			),
			ids.revoked,
			credentials.wrong,
		),
		adoptExample(onTable(formExample, tableId), ids.form, credentials.webform),
		adoptExample(onTable(replay, tableId), ids.replay, credentials.sales),
	]);
	await publishWorkflows(folder, Object.values(ids));
	const server = await N8nServer.start(folder);
	try {
		const table = await keptTable(server, TABLE);
		const hookPath = String(
			webhookExample.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path,
		);
		const url = server.webhookUrl(hookPath);

		await scenario(
			WEBHOOK,
			emulator,
			async () => {
				await server.waitForWebhook(url);
				await server.waitForWebhook(server.webhookUrl('tracy-lead-form-revoked'));
				const fetchJson = (target: string, body: object) =>
					fetch(target, {
						method: 'POST',
						headers: { 'content-type': 'application/json', origin: ORIGIN },
						body: JSON.stringify(body),
					}).then(answerOf);
				const postForm = (fields: Record<string, string>) =>
					fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams(fields).toString(),
						redirect: 'manual',
					}).then(answerOf);
				const preflight = await fetch(url, {
					method: 'OPTIONS',
					headers: {
						origin: ORIGIN,
						'access-control-request-method': 'POST',
						'access-control-request-headers': 'content-type',
					},
				}).then(answerOf);
				const answers = {
					script: await fetchJson(`${url}?utm_source=newsletter&utm_campaign=autumn`, {
						name: 'Ada Lovelace',
						email: 'ada.fetch@example.com',
						company: 'Analytical Engines',
						message: 'Hello from fetch',
						consent: true,
						website: '',
					}),
					plainForm: await postForm({
						first_name: 'Grace',
						last_name: 'Hopper',
						email: 'grace.form@example.com',
						consent: 'on',
						website: '',
					}),
					bot: await postForm({
						name: 'Bot',
						email: 'bot@spam.example',
						consent: 'on',
						website: 'http://spam.example',
					}),
					noEmail: await fetchJson(url, { name: 'No Email', consent: true }),
					noConsent: await postForm({ name: 'No Consent', email: 'noconsent@example.com' }),
					tracyRefused: await fetchJson(server.webhookUrl('tracy-lead-form-revoked'), {
						name: 'Refused',
						email: 'refused@example.com',
						consent: true,
					}),
				};
				const executions = await server.executions(ids.respond, 5);
				const revokedExecutions = await server.executions(ids.revoked, 1);
				const rows = table ? await table.rows() : undefined;
				return { preflight, answers, executions, revokedExecutions, rows };
			},
			(c, { preflight, answers, executions, revokedExecutions, rows, requests }) => {
				// what the visitor got back
				c.equal(preflight.allowOrigin, ORIGIN, 'the CORS preflight allows the site');
				c.equal(
					[answers.script.status, answers.script.json],
					[200, { ok: true }],
					'fetch: 200 { ok: true }',
				);
				c.equal(
					answers.script.allowOrigin,
					ORIGIN,
					'fetch: the answer carries the site in Access-Control-Allow-Origin',
				);
				c.equal(
					[answers.plainForm.status, answers.plainForm.location],
					[303, 'https://www.example.com/thank-you'],
					'plain form: 303 to the thank-you page',
				);
				c.equal(
					[answers.bot.status, answers.bot.location],
					[303, 'https://www.example.com/thank-you'],
					'honeypot: the bot is answered like anyone',
				);
				c.equal(
					[answers.noEmail.status, answers.noEmail.json],
					[200, { ok: false, message: 'The submission has no Email' }],
					'no email: { ok: false, message }',
				);
				c.equal(
					[answers.noConsent.status, answers.noConsent.location],
					[303, 'https://www.example.com/contact?error=1'],
					'no consent: 303 to the error page',
				);
				c.equal(
					answers.tracyRefused.json,
					{ ok: false, message: KEPT_MESSAGE },
					'Tracy refused: a general answer, no Tracy details',
				);

				// what Tracy received: two leads, nothing for the bot or the refused input, no reads
				const made = creates(requests);
				c.equal(requests.filter((r) => r.method !== 'POST').length, 0, 'no reads');
				const accepted = made.filter((r) => r.headers['x-api-key'] === emulator.keyFor('webform'));
				c.equal(
					accepted.map((r) => r.status),
					[200, 200],
					'two leads created with the web-form key',
				);
				c.equal(
					accepted[0] ? datums(accepted[0]) : [],
					[
						[1, 'Ada Lovelace'],
						[2, 'ada.fetch@example.com'],
						[4, 'Analytical Engines'],
						[5, 'Hello from fetch'],
						[6, 'Website'],
						[7, 'newsletter'],
						[9, 'autumn'],
						[14, 'true'],
					],
					'fetch: the lead with UTM from the query string and the consent',
				);
				c.equal(
					accepted[1] ? datums(accepted[1]) : [],
					[
						[1, 'Grace Hopper'],
						[2, 'grace.form@example.com'],
						[6, 'Website'],
						[14, 'on'],
					],
					'plain form: first and last name joined, consent stored',
				);
				c.that(
					!made.some((r) => /bot@spam|noconsent@|"No Email"/.test(r.rawBody ?? '')),
					'nothing of the bot, the missing email or the missing consent reached Tracy',
				);
				const refused = made.filter(
					(r) => ![emulator.keyFor('webform')].includes(String(r.headers['x-api-key'])),
				);
				c.equal(
					refused.map((r) => r.status),
					[401],
					'the revoked key was refused once',
				);

				allSucceeded(c, executions, 5, 'answering workflow');
				allSucceeded(c, revokedExecutions, 1, 'revoked-key workflow');
				const leadOutputs = executions.flatMap((e) => {
					try {
						return outputItems(e as never, 'Create Lead in Tracy');
					} catch {
						return [];
					}
				});
				c.that(
					leadOutputs.some((o) => o.skipped === 'honeypot'),
					'the bot is marked skipped: honeypot in the Tracy node output',
				);
				c.that(
					leadOutputs.some(
						(o) =>
							JSON.stringify(o.submission) ===
							JSON.stringify({
								from: 'webhook',
								fields: {
									'body.name': 'name',
									'body.email': 'email',
									'body.company': 'company',
									'body.message': 'message',
									'body.consent': 'consent',
									'query.utm_source': 'utmSource',
									'query.utm_campaign': 'utmCampaign',
								},
								leftOut: [],
							}),
					),
					`the output says which input field went where: ${JSON.stringify(leadOutputs.map((o) => o.submission))}`,
				);

				// nothing lost: each refused submission is kept with its reason and what was posted
				if (rows) {
					const kept = rows.map((r) => ({
						reason: String(r.reason),
						submission: JSON.parse(String(r.submission)) as { body?: Record<string, unknown> },
					}));
					c.equal(kept.length, 3, 'three refused submissions kept in the Data Table');
					c.that(
						kept.some(
							(k) =>
								k.reason === 'The submission has no Email' &&
								k.submission.body?.name === 'No Email',
						),
						'the one without email is kept with its body',
					);
					c.that(
						kept.some(
							(k) =>
								k.reason.startsWith('Consent not given') &&
								k.submission.body?.email === 'noconsent@example.com',
						),
						'the one without consent is kept',
					);
					c.that(
						kept.some(
							(k) =>
								k.reason.startsWith('Tracy refused the API key') &&
								k.submission.body?.email === 'refused@example.com',
						),
						'the one Tracy refused is kept, for replay',
					);
				}
			},
			{ onFailure: () => server.logTail(80) },
		);

		await scenario(
			REPLAY,
			emulator,
			async () => {
				// one create reaches Tracy but its answer is lost (500 after storing); one meets Tracy down (503, nothing stored)
				emulator.faults.push({
					match: (r) => r.method === 'POST' && (r.rawBody ?? '').includes('lost.answer@'),
					status: 500,
					afterProcessing: true,
					times: 1,
				});
				emulator.faults.push({
					match: (r) => r.method === 'POST' && (r.rawBody ?? '').includes('tracy.down@'),
					status: 503,
					times: 1,
				});
				const post = (body: object) =>
					fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json', origin: ORIGIN },
						body: JSON.stringify(body),
					}).then(answerOf);
				const answers = [
					await post({ name: 'Lost Answer', email: 'lost.answer@example.com', consent: true }),
					await post({ name: 'Tracy Down', email: 'tracy.down@example.com', consent: true }),
				];
				const ours = (rows: Array<Record<string, unknown>>) =>
					rows.filter((r) => /lost\.answer@|tracy\.down@/.test(String(r.submission)));
				const keptAtFirst = table ? ours(await table.rows()) : [];
				// the replay runs every minute: wait for it to empty the table of these two
				let keptAfter = keptAtFirst;
				const deadline = Date.now() + 150_000;
				while (table && keptAfter.length && Date.now() < deadline) {
					await new Promise((resolve) => setTimeout(resolve, 2000));
					keptAfter = ours(await table.rows());
				}
				const rest = table ? await table.rows() : [];
				const replays = await server.executions(ids.replay, 0, 0);
				const stored = (email: string) =>
					emulator.storedRecords(1).filter((r) => JSON.stringify(r).includes(email)).length;
				return {
					answers,
					keptAtFirst,
					keptAfter,
					rest,
					replays,
					lost: stored('lost.answer@example.com'),
					down: stored('tracy.down@example.com'),
				};
			},
			(c, { answers, keptAtFirst, keptAfter, rest, replays, lost, down, requests }) => {
				c.equal(
					answers.map((a) => a.json),
					[
						{ ok: false, message: KEPT_MESSAGE },
						{ ok: false, message: KEPT_MESSAGE },
					],
					'both visitors were told their request was kept',
				);
				if (!table) return void c.that(false, 'this n8n has no Data Table');
				c.equal(
					keptAtFirst.map((r) => r.outcome),
					['unknown', 'unknown'],
					'both kept with outcome "unknown": a write whose answer failed may be stored',
				);
				c.equal(keptAfter, [], 'the replay removed both rows');
				c.equal([lost, down], [1, 1], 'each lead is in Tracy exactly once');
				const replayed = creates(requests).filter(
					(r) => r.headers['x-api-key'] === emulator.keyFor('sales'),
				);
				c.equal(
					replayed.map((r) => [datums(r).find(([id]) => id === 2)?.[1], r.status]),
					[['tracy.down@example.com', 200]],
					'the replay created only the lead that never reached Tracy, with the internal key',
				);
				const lookups = requests.filter(
					(r) => r.method === 'GET' && r.headers['x-api-key'] === emulator.keyFor('sales'),
				);
				c.that(
					lookups.length >= 2,
					`the replay looked each email up first (Skip if Exists): ${lookups.length} reads`,
				);
				c.that(
					rest.every((r) => r.outcome === 'refused'),
					`what stays kept was refused for good: ${rest.map((r) => `${String(r.outcome)}: ${String(r.reason)}`).join('; ')}`,
				);
				c.that(
					replays.length > 0 && replays.every((e) => e.status === 'success'),
					`every replay execution succeeded: ${replays.map((e) => e.status).join(', ')}`,
				);
			},
			{ onFailure: () => server.logTail(80) },
		);

		await scenario(
			FORM,
			emulator,
			async () => {
				const formPath = String(
					(
						formExample.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger')!.parameters
							.options as { path?: string }
					).path,
				);
				await server.waitForWebhook(server.formUrl(formPath));
				const page = await fetch(server.formUrl(formPath)).then(answerOf);
				const submit = async (fields: string[], query = '') => {
					const data = new FormData();
					fields.forEach((value, i) => {
						if (value !== '') data.append(`field-${i}`, value);
					});
					return await fetch(`${server.formUrl(formPath)}${query}`, {
						method: 'POST',
						body: data,
					}).then(answerOf);
				};
				const before = table ? (await table.rows()).length : 0;
				const sent = await submit(
					[
						'Dorothy Vaughan',
						'dorothy@example.com',
						'NACA',
						'FORTRAN, please',
						JSON.stringify(['I agree to be contacted about my request']),
					],
					'?utm_source=newsletter',
				);
				const noConsent = await submit([
					'Mary Jackson',
					'mary@example.com',
					'',
					'Wind tunnels',
					'',
				]);
				const executions = await server.executions(ids.form, 2);
				const rows = table ? (await table.rows()).slice(before) : undefined;
				return { page, sent, noConsent, executions, rows };
			},
			(c, { page, sent, noConsent, executions, rows, requests }) => {
				c.equal(page.status, 200, 'the form page loads');
				for (const text of [
					'Contact us',
					'Email',
					'I agree to be contacted about my request',
					'Thank you! We have your request and will get back to you soon.',
				]) {
					c.that(page.text.includes(text), `the form page has "${text}"`);
				}
				c.equal(
					[sent.status, noConsent.status],
					[200, 200],
					'both submissions answered 200, so the page shows its thank-you text',
				);
				const made = creates(requests);
				c.equal(
					made.map((r) => r.status),
					[200],
					'one lead created',
				);
				c.equal(
					made.length ? datums(made[0]) : [],
					[
						[1, 'Dorothy Vaughan'],
						[2, 'dorothy@example.com'],
						[4, 'NACA'],
						[5, 'FORTRAN, please'],
						[6, 'Website'],
						[7, 'newsletter'],
						[14, 'I agree to be contacted about my request'],
					],
					'the lead from the form labels, UTM from the page URL, consent stored',
				);
				c.that(
					made.every((r) => r.headers['x-api-key'] === emulator.keyFor('webform')),
					'with the web-form key',
				);
				allSucceeded(c, executions, 2, 'form workflow');
				const outputs = executions.flatMap((e) => {
					try {
						return outputItems(e as never, 'Create Lead in Tracy');
					} catch {
						return [];
					}
				});
				c.that(
					outputs.some(
						(o) =>
							o.created === true &&
							(o.submission as { from?: string } | undefined)?.from === 'form',
					),
					'the Tracy node read a Form Trigger submission',
				);
				if (rows) {
					c.equal(rows.length, 1, 'the submission without consent is kept');
					c.that(
						String(rows[0]?.reason).startsWith('Consent not given') &&
							String(rows[0]?.submission).includes('mary@example.com'),
						`kept with its reason and fields: ${JSON.stringify(rows[0])}`,
					);
				}
			},
			{ onFailure: () => server.logTail(80) },
		);
	} finally {
		await server.stop();
	}
}
