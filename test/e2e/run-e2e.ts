/**
 * `npm run test:e2e`: the built package inside a real n8n. Installs n8n outside the package
 * (cached), installs the package's tarball as a community package in a fresh user folder, starts
 * the Tracy emulator, imports credentials and workflows, runs them with `n8n execute`, and checks
 * both what the emulator received and what n8n printed.
 *
 * N8N_E2E_VERSION / N8N_E2E_NODE / N8N_E2E_CACHE: see install-n8n.sh. N8N_E2E_KEEP=1 keeps the
 * user folder (it is kept anyway when something fails).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { tracyApiError } from '../../nodes/Tracy/transport/errors';
import { startEmulator } from '../emulator/server';
import type { N8nInstall } from './n8n';
import { freePort, installN8n, killAll, N8nUserFolder, REPO_ROOT, resultData } from './n8n';
import { outputItems, nodeRun, scenario, skip, summarize } from './scenario';
import { SUITES } from './suites';
import type { CredentialRef, WorkflowJson } from './workflows';
import {
	adoptExample,
	chain,
	itemsSource,
	manualTrigger,
	readExamples,
	tracyCredential,
	tracyNode,
	webhookAsManual,
	workflow,
} from './workflows';

function state(record: Record<string, unknown> | undefined) {
	return (record?.state as { name?: string } | undefined)?.name;
}

// ------------------------------------------------------------------------------------------------ the package

/** The operations the built node offers, so scenarios for operations not written yet are skipped, loudly. */
function builtOperations(): Set<string> {
	const file = path.join(REPO_ROOT, 'dist/nodes/Tracy/Tracy.node.js');
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Tracy } = require(file) as { Tracy: new () => { description: INodeTypeDescription } };
	const ops = new Set<string>();
	for (const p of new Tracy().description.properties as INodeProperties[]) {
		if (p.name !== 'operation') continue;
		for (const resource of (p.displayOptions?.show?.resource ?? []) as string[]) {
			for (const o of (p.options ?? []) as Array<{ value: string }>)
				ops.add(`${resource}.${o.value}`);
		}
	}
	return ops;
}

// ------------------------------------------------------------------------------------------------ main

const WEB_FORM_EXAMPLE = 'web-form-lead.json';

async function main() {
	const t0 = Date.now();
	const install: N8nInstall = installN8n();
	const tInstalled = Date.now();
	console.log(`n8n ${install.n8nVersion} on Node.js ${install.nodeVersion} (${install.dir})`);

	const ops = builtOperations();
	console.log(`built node operations: ${[...ops].sort().join(', ')}`);

	const emulator = await startEmulator({ extraLeads: 150 });
	const userFolder = new N8nUserFolder(install, {
		root: path.join(REPO_ROOT, '.e2e', `n8n-${install.n8nVersion}`),
		env: { N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_PORT: String(await freePort()) },
	});
	let failed = false;
	const cleanup = async () => {
		killAll();
		await emulator.stop();
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.error(`\n${signal}: stopping n8n and the emulator`);
			void cleanup().finally(() => process.exit(130));
		});
	}

	try {
		userFolder.reset();
		const installed = userFolder.installPackageTarball();
		console.log(`package installed as a community package: ${path.relative(REPO_ROOT, installed)}`);
		console.log(`Tracy emulator: ${emulator.url}`);

		// ---------------------------------------------------------------- credentials
		const sales: CredentialRef = { id: 'e2eTracySales', name: 'Tracy emulator (sales key)' };
		const webform: CredentialRef = { id: 'e2eTracyWebForm', name: 'Tracy emulator (web-form key)' };
		const wrong: CredentialRef = { id: 'e2eTracyWrongKey', name: 'Tracy emulator (revoked key)' };
		const wrongKey = 'tracy-revoked-key-00000000000099';
		const credImport = await userFolder.importCredentials([
			tracyCredential(sales, emulator.keyFor('sales'), emulator.url),
			tracyCredential(webform, emulator.keyFor('webform'), emulator.url),
			tracyCredential(wrong, wrongKey, emulator.url),
		]);

		// ---------------------------------------------------------------- workflows
		const workflows: WorkflowJson[] = [];

		// Record → Get over three items with Continue On Fail (one found, one missing, one not an ID),
		// and, beside it in the same run, Get Many with Return All over several pages.
		const recordsId = 'e2eRecords';
		{
			const start = manualTrigger();
			const ids = itemsSource('Record IDs', [{ id: 1 }, { id: 999 }, { id: 'abc' }], [220, 0]);
			const get = tracyNode(
				'Get Record',
				{
					resource: 'record',
					operation: 'get',
					recordId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					simplify: true,
				},
				sales,
				[660, 0],
				{ onError: 'continueRegularOutput' },
			);
			const nodes = [start, ...ids, get];
			const connections = chain({}, start.name, ids[0].name, ids[1].name, get.name);
			if (ops.has('record.getAll')) {
				const getMany = tracyNode(
					'Get Many Leads',
					{
						resource: 'record',
						operation: 'getAll',
						dataset: { __rl: true, mode: 'id', value: '1' },
						returnAll: true,
						limit: 50,
						simplify: true,
						filters: {},
					},
					sales,
					[220, 220],
				);
				nodes.push(getMany);
				chain(connections, start.name, getMany.name);
			}
			workflows.push(workflow(recordsId, 'E2E: records', nodes, connections));
		}

		// A revoked key: the execution fails with the node's own 401 message.
		const wrongKeyId = 'e2eWrongKey';
		{
			const start = manualTrigger();
			const get = tracyNode(
				'Get Record',
				{
					resource: 'record',
					operation: 'get',
					recordId: { __rl: true, mode: 'id', value: '1' },
					simplify: false,
				},
				wrong,
				[220, 0],
			);
			workflows.push(
				workflow(wrongKeyId, 'E2E: wrong key', [start, get], chain({}, start.name, get.name)),
			);
		}

		// The examples as shipped (they must import), and the web-form one run with the create-only key.
		const examples = readExamples();
		examples.forEach(({ workflow: wf }, i) =>
			workflows.push(adoptExample(wf, `e2eExample${i + 1}`, webform)),
		);
		const webFormExample = examples.find((e) => e.file === WEB_FORM_EXAMPLE)?.workflow;
		const webFormId = 'e2eWebFormLead';
		// two submissions, and one without the email the example requires: an error item, nothing sent
		const leads = [
			{
				body: {
					name: 'Margaret Hamilton',
					email: 'margaret@example.com',
					phone: '+1 617 555 0142',
					company: 'Apollo Guidance',
					message: 'Please send a quote.',
					utm_source: 'newsletter',
					utm_medium: 'email',
					utm_campaign: 'spring',
				},
			},
			{ body: { name: 'Hedy Lamarr', email: 'hedy@example.com' } },
			{ body: { name: 'No Email' } },
		];
		const validLeads = leads.slice(0, 2);
		const webFormReady = Boolean(webFormExample) && ops.has('lead.create');
		if (webFormReady) {
			workflows.push(adoptExample(webhookAsManual(webFormExample!, leads), webFormId, webform));
		}
		const wfImport = await userFolder.importWorkflows(workflows);
		console.log(
			`imported 3 credentials (n8n: ${credImport.ms} ms) and ${workflows.length} workflows, ${examples.length} from examples/ (n8n: ${wfImport.ms} ms)`,
		);

		// ---------------------------------------------------------------- scenarios
		await scenario(
			'Record → Get with Continue On Fail (ids 1, 999, "abc"), sales key' +
				(ops.has('record.getAll') ? ', and Get Many with Return All' : ''),
			emulator,
			() => userFolder.execute(recordsId, 0),
			(c, { execution, requests }) => {
				c.equal(
					execution.status ?? (execution.finished ? 'success' : 'failed'),
					'success',
					'execution status',
				);
				const gets = requests.filter((r) => r.path.startsWith('/v1/records/'));
				// n8n sends every item's request at once: the order they reach Tracy in is not defined
				c.equal(
					gets.map((r) => `${r.method} ${r.path} ${r.status}`).sort(),
					['GET /v1/records/1 200', 'GET /v1/records/999 404'],
					'record requests (none for "abc")',
				);
				c.that(
					gets.every((r) => r.headers['x-api-key'] === emulator.keyFor('sales')),
					'every record request carries the sales key as X-Api-Key',
				);
				c.that(
					gets.every((r) => r.rawBody === ''),
					'GET requests have no body',
				);
				const items = outputItems(execution, 'Get Record');
				c.equal(items.length, 3, 'Get Record outputs one item per input item');
				c.equal(items[0]?.id, 1, 'item 1 is record 1');
				c.equal(items[0]?.Name, 'Ada Lovelace', 'item 1 is simplified (Name)');
				c.equal(items[0]?.Email, 'ada@example.com', 'item 1 is simplified (Email)');
				// n8n's two-key error items: the text in `message`, what is known in `error`
				c.that(
					typeof items[1]?.message === 'string' && /999/.test(items[1].message as string),
					`item 2 is an error item naming record 999: ${JSON.stringify(items[1])}`,
				);
				c.that(
					typeof items[2]?.message === 'string' &&
						/abc|ID|number/i.test(items[2].message as string),
					`item 3 is an error item about the ID: ${JSON.stringify(items[2])}`,
				);
				c.equal(
					[items[1]?.error, items[2]?.error].map(
						(e) => (e as { outcome?: string } | undefined)?.outcome,
					),
					['refused', 'refused'],
					'both say nothing was stored (outcome refused)',
				);
				if (!ops.has('record.getAll')) return;
				const pages = requests.filter((r) => r.path === '/v1/records');
				const expected = emulator.storedRecords(1).filter((r) => !r.archived && !r.removed);
				c.that(pages.length >= 2, `Get Many read several pages (${pages.length})`);
				c.that(
					pages.every((r) => r.method === 'GET' && r.status === 200),
					'every page request is a GET answered 200',
				);
				c.that(
					pages.every((r) => r.headers['x-api-key'] === emulator.keyFor('sales')),
					'every page request carries the sales key',
				);
				c.equal(
					pages.map((r) => r.query.page),
					pages.map((_, i) => String(i + 1)),
					'pages requested in order from 1',
				);
				c.that(
					pages.every((r) => r.query.dataset === '1'),
					'every page asks for dataset 1',
				);
				const many = outputItems(execution, 'Get Many Leads');
				c.equal(many.length, expected.length, 'Get Many returns every non-archived lead');
				c.equal(
					many.map((i) => i.id),
					expected.map((r) => r.id),
					'Get Many returns them in order, each once',
				);
				c.equal(many[0]?.Name, 'Ada Lovelace', 'Get Many items are simplified');
			},
		);

		if (webFormReady) {
			await scenario(
				`Web-form lead (examples/${WEB_FORM_EXAMPLE}), create-only key: two leads and one without email`,
				emulator,
				() => userFolder.execute(webFormId, 0),
				(c, { execution, requests }) => {
					c.equal(
						execution.status ?? (execution.finished ? 'success' : 'failed'),
						'success',
						'execution status',
					);
					c.that(
						requests.every((r) => r.headers['x-api-key'] === emulator.keyFor('webform')),
						'every request carries the web-form key',
					);
					c.equal(
						requests.map(
							(r) =>
								`${r.method} ${r.path} ${r.status! >= 200 && r.status! < 300 ? '2xx' : r.status}`,
						),
						validLeads.map(() => 'POST /v1/records 2xx'),
						'one create per valid submission, nothing read, nothing for the one without email',
					);
					type LeadBody = {
						dataset?: { id?: number };
						state?: unknown;
						datums?: Array<{ property: { id: number }; value: unknown }>;
					};
					// the creates start at once and may arrive in any order: each lead's is found by its email
					validLeads.forEach((valid, i) => {
						const lead = valid.body as Record<string, string>;
						const r = requests.find((q) =>
							((q.body as LeadBody | undefined)?.datums ?? []).some(
								(d) => d.property.id === 2 && d.value === lead.email,
							),
						);
						const body = (r?.body ?? {}) as LeadBody;
						c.equal(body.dataset?.id, 1, `lead ${i + 1}: dataset 1 (Leads)`);
						const sent = Object.fromEntries(
							(body.datums ?? []).map((d) => [d.property.id, d.value]),
						);
						const expected: Record<number, unknown> = {
							1: lead.name,
							2: lead.email,
							3: lead.phone,
							4: lead.company,
							5: lead.message,
							6: 'Website',
							7: lead.utm_source,
							8: lead.utm_medium,
							9: lead.utm_campaign,
						};
						for (const key of Object.keys(expected))
							if (expected[Number(key)] === undefined) delete expected[Number(key)];
						c.equal(
							sent,
							expected,
							`lead ${i + 1}: the datums sent (empty form fields are not sent)`,
						);
					});
					const leadNode = webFormExample!.nodes.find((n) => n.type.endsWith('.tracy'))!.name;
					const items = outputItems(execution, leadNode);
					c.equal(items.length, leads.length, 'one output item per submission');
					const stored = emulator.storedRecords(1);
					validLeads.forEach((lead, i) => {
						const record = stored.find((r) => r.id === items[i]?.id);
						c.that(
							record,
							`output item ${i + 1} is a record Tracy stored (id ${String(items[i]?.id)})`,
						);
						const datums = (record?.datums ?? []) as Array<{
							property: { id: number };
							value: unknown;
						}>;
						c.that(
							datums.some((d) => d.property.id === 1 && d.value === lead.body.name),
							`stored record ${String(items[i]?.id)} holds the name`,
						);
						c.equal(
							state(record),
							'New',
							`stored record ${String(items[i]?.id)} starts in the first state`,
						);
					});
					const last = items[leads.length - 1];
					c.that(
						typeof last?.message === 'string' && /email/i.test(last.message as string),
						`the submission without email is an error item about the email: ${JSON.stringify(last)}`,
					);
				},
			);
		} else {
			skip(
				'Web-form lead, create-only key',
				!webFormExample
					? `examples/${WEB_FORM_EXAMPLE} does not exist yet`
					: 'the built node has no Lead → Create yet',
			);
		}
		if (!ops.has('record.getAll'))
			skip('Record → Get Many with Return All', 'the built node has no Record → Get Many yet');

		await scenario(
			"Wrong API key: the execution fails with the node's 401 message",
			emulator,
			() => userFolder.execute(wrongKeyId, 1),
			(c, { execution, requests }) => {
				const expected = tracyApiError(
					{ name: 'Get Record' } as INode,
					401,
					{},
					{ method: 'GET', url: '/v1/records/1' },
				);
				const error = resultData(execution).error ?? nodeRun(execution, 'Get Record').error;
				c.that(error, 'the execution has an error');
				c.equal(error?.message, expected.message, "the error message is the node's own");
				c.equal(execution.status ?? 'error', 'error', 'execution status');
				c.equal(
					requests.map((r) => `${r.method} ${r.path} ${r.status}`),
					['GET /v1/records/1 401'],
					'one request, refused, not retried',
				);
				c.equal(
					requests[0]?.headers['x-api-key'],
					wrongKey,
					'the request carried the configured key',
				);
			},
		);

		// scenarios in suites/: each imports what it needs into the same user folder
		for (const suite of SUITES)
			await suite({
				install,
				emulator,
				folder: userFolder,
				ops,
				credentials: { sales, webform, wrong },
			});
	} catch (error) {
		failed = true;
		console.error(
			`\n✗ e2e set-up failed: ${error instanceof Error ? error.message : String(error)}`,
		);
	} finally {
		await cleanup();
	}

	failed = summarize(
		failed,
		`n8n ${install.n8nVersion}, Node.js ${install.nodeVersion}; install check ${Math.round((tInstalled - t0) / 1000)} s,` +
			` total ${Math.round((Date.now() - t0) / 1000)} s`,
	);
	if (failed) {
		console.log(`user folder kept for inspection: ${userFolder.root}`);
		process.exit(1);
	}
	if (!process.env.N8N_E2E_KEEP) fs.rmSync(userFolder.root, { recursive: true, force: true });
}

main().catch((error) => {
	killAll();
	console.error(error);
	process.exit(1);
});
