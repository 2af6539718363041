/**
 * The triggers in a running n8n, with active workflows:
 * - the Tracy Automation Trigger, called by the emulator's automation when a lead is created,
 *   its workflow moving that lead on in Tracy; a call with a wrong secret refused;
 * - the Tracy Trigger polling Every Minute (n8n's shortest interval) for New Record and Record
 *   Entered State: nothing at activation, then each change once;
 * - a bulk import drained At Most 25 per Poll, oldest first, each once, by a trigger set to Start
 *   From Now (which emits nothing if n8n made a new poll context for each poll).
 */
import type { ReceivedRequest } from '../../emulator/server';
import type { ServerExecution } from '../server';
import { N8nServer, publishWorkflows } from '../server';
import type { E2eContext } from '../scenario';
import { scenario, selected } from '../scenario';
import {
	chain,
	TRACY_AUTOMATION_TRIGGER_TYPE,
	TRACY_TRIGGER_TYPE,
	tracyNode,
	workflow,
} from '../workflows';

const WEBHOOK =
	'Trigger: Tracy Automation Trigger, active, called by an automation on a new lead; a wrong secret refused';
const POLLING =
	'Trigger: Tracy Trigger polling Every Minute, New Record and Record Entered State, no backlog, each change once, idle polls';
const BULK =
	'Trigger: Tracy Trigger after a bulk import of 50 companies, At Most 25 per Poll and Start From Now: 25 a poll, oldest first, each once';
const SECRET = 'e2e-automation-secret-7Hq2Lm9x';
const BULK_SIZE = 50;
const BULK_CAP = 25;
const WEBHOOK_ID = '5d7e1f20-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
/** n8n's start-up and activation polls, a tick that finds the changes and one more that finds nothing. */
const POLL_WAIT_MS = 170_000;

type Json = Record<string, unknown>;

function items(execution: ServerExecution, nodeName: string): Json[] {
	const run = execution.data?.resultData?.runData?.[nodeName]?.[0] as
		| { data?: { main?: Array<Array<{ json: Json }>> } }
		| undefined;
	return (run?.data?.main?.[0] ?? []).map((i) => i.json);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function triggerSuite({ folder, emulator, credentials }: E2eContext) {
	if (!selected(WEBHOOK) && !selected(POLLING) && !selected(BULK)) return;
	const hookId = 'e2eAutomationTrigger';
	const newId = 'e2eTriggerNewRecord';
	const enteredId = 'e2eTriggerEntered';
	const bulkId = 'e2eTriggerBulk';

	const hook = tracyNode(
		'Tracy Automation',
		{ secret: SECRET, fetchRecord: true, options: {} },
		credentials.sales,
		[0, 0],
		{
			type: TRACY_AUTOMATION_TRIGGER_TYPE,
			webhookId: WEBHOOK_ID,
		},
	);
	// writes back to Tracy what it received: the lead moves on to Qualified
	const qualify = tracyNode(
		'Qualify Lead',
		{
			resource: 'record',
			operation: 'move',
			recordId: { __rl: true, mode: 'id', value: '={{ $json.recordId }}' },
			dataset: { __rl: true, mode: 'id', value: '1' },
			state: { __rl: true, mode: 'id', value: '2' },
		},
		credentials.sales,
		[240, 0],
	);
	const everyMinute = { item: [{ mode: 'everyMinute' }] };
	const newRecord = tracyNode(
		'New Lead',
		{
			pollTimes: everyMinute,
			event: 'newRecord',
			dataset: { __rl: true, mode: 'id', value: '1' },
			states: [],
			simplify: true,
		},
		credentials.sales,
		[0, 0],
		{ type: TRACY_TRIGGER_TYPE },
	);
	const entered = tracyNode(
		'Lead Qualified',
		{
			pollTimes: everyMinute,
			event: 'enteredState',
			dataset: { __rl: true, mode: 'id', value: '1' },
			state: { __rl: true, mode: 'id', value: '2' },
			simplify: true,
		},
		credentials.sales,
		[0, 0],
		{ type: TRACY_TRIGGER_TYPE },
	);
	// Start From Now also proves that n8n polls with one context per activation: were each poll a new
	// activation, every poll would start from now and this trigger would emit nothing
	const newCompany = tracyNode(
		'New Company',
		{
			pollTimes: everyMinute,
			event: 'newRecord',
			dataset: { __rl: true, mode: 'id', value: '2' },
			states: [],
			simplify: true,
			options: { maxPerPoll: BULK_CAP, onReactivation: 'startFromNow' },
		},
		credentials.sales,
		[0, 0],
		{ type: TRACY_TRIGGER_TYPE },
	);
	await folder.importWorkflows([
		workflow(
			hookId,
			'E2E: Tracy Automation Trigger',
			[hook, qualify],
			chain({}, hook.name, qualify.name),
		),
		workflow(newId, 'E2E: Tracy Trigger, New Record', [newRecord], {}),
		workflow(enteredId, 'E2E: Tracy Trigger, Record Entered State', [entered], {}),
		workflow(bulkId, 'E2E: Tracy Trigger, bulk import', [newCompany], {}),
	]);
	await publishWorkflows(folder, [hookId, newId, enteredId, bulkId]);

	const owner = emulator.keyFor('owner');
	const sales = emulator.keyFor('sales');
	const tracy = async (method: string, path: string, body: unknown) => {
		const res = await fetch(`${emulator.url}${path}`, {
			method,
			headers: { 'x-api-key': owner, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return (await res.json()) as { id: number };
	};
	const newLead = (name: string, state?: number) =>
		tracy('POST', '/v1/records', {
			dataset: { id: 1 },
			...(state ? { state: { id: state } } : {}),
			datums: [
				{ property: { id: 1 }, value: name },
				{ property: { id: 3 }, value: '+1 555 0199' },
			],
		});

	const before = emulator.requests.length;
	const newestBefore = Math.max(...emulator.storedRecords(1).map((r) => r.id as number));
	const startedAt = Date.now();
	const server = await N8nServer.start(folder);
	let automationLead = 0;
	try {
		// n8n activates published workflows after it answers /healthz: changes made before the
		// activation polls would be part of their baseline
		const activated = () => {
			const polls = emulator.requests
				.slice(before)
				.filter((r) => r.headers['x-api-key'] === sales && r.path === '/v1/records');
			return (
				polls.some((r) => r.query.order === 'desc' && !r.query.state && r.query.dataset === '1') &&
				polls.some((r) => r.query.state === '2') &&
				polls.some((r) => r.query.dataset === '2')
			);
		};
		for (const deadline = Date.now() + 60_000; !activated() && Date.now() < deadline; )
			await sleep(250);
		// the bulk import, at once: the next polls drain it 25 at a time while the other scenarios run
		const companies: number[] = [];
		if (selected(BULK)) {
			for (let i = 1; i <= BULK_SIZE; i++) {
				const created = await tracy('POST', '/v1/records', {
					dataset: { id: 2 },
					datums: [
						{ property: { id: 20 }, value: `Imported Company ${i}` },
						{ property: { id: 29 }, value: 'Retail' },
					],
				});
				companies.push(created.id);
			}
		}
		await scenario(
			WEBHOOK,
			emulator,
			async () => {
				const url = `${server.webhookUrl(`${WEBHOOK_ID}/tracy-automation`)}?secret=${SECRET}`;
				emulator.addAutomation({ dataset: 1, on: 'created', url, name: 'New lead → n8n' });
				automationLead = (await newLead('Automation Lead')).id;
				await emulator.automationsSettled();
				const executions = await server.executions(hookId, 1);
				const wrong = await fetch(url.replace(SECRET, 'not-the-secret'), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ recordId: 1 }),
				});
				const missing = await fetch(url.split('?')[0], {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: '{}',
				});
				await sleep(1500);
				const after = await server.executions(hookId, 1);
				return {
					executions,
					after,
					wrong: wrong.status,
					missing: missing.status,
					calls: [...emulator.automationCalls],
				};
			},
			(c, { executions, after, wrong, missing, calls, requests }) => {
				c.equal(
					calls.map((call) => call.status),
					[200],
					"the automation's call was answered 200",
				);
				c.equal(executions.length, 1, 'one execution');
				c.equal(executions[0]?.status, 'success', 'the execution succeeded');
				const [item] = executions[0] ? items(executions[0], hook.name) : [];
				c.equal(item?.recordId, automationLead, 'the trigger found the record ID in the payload');
				c.equal(
					(item?.record as Json | undefined)?.Name,
					'Automation Lead',
					'and output the record, read with the credential, simplified',
				);
				c.equal(item?.payload, calls[0]?.body, 'and the payload as received');
				c.that(!JSON.stringify(item ?? {}).includes(SECRET), 'the secret is not in the output');
				c.equal([wrong, missing], [403, 401], 'a wrong secret is answered 403, a missing one 401');
				c.equal(after.length, 1, 'neither started an execution');
				const moves = requests.filter((r) => r.path === '/v1/moves');
				c.equal(
					moves.map((r) => [
						r.headers['x-api-key'] === sales,
						(r.body as { record?: { id?: number } }).record?.id,
						r.status,
					]),
					[[true, automationLead, 200]],
					'the workflow moved the lead it received, with the sales key',
				);
				c.equal(
					(
						emulator.storedRecords(1).find((r) => r.id === automationLead)?.state as
							| Json
							| undefined
					)?.name,
					'Qualified',
					'the lead is Qualified in Tracy',
				);
			},
			{ onFailure: () => server.logTail(60) },
		);
		emulator.automations = [];

		await scenario(
			POLLING,
			emulator,
			async () => {
				const polled = emulator.requests
					.slice(before)
					.filter(
						(r) =>
							r.headers['x-api-key'] === sales &&
							r.path === '/v1/records' &&
							r.query.dataset === '1',
					);
				const lead = (await newLead('Polled Lead')).id;
				// a lead of its own (the seeded ones belong to other suites too), created in Won and moved back to Qualified
				const back = (await newLead('Moved Back', 3)).id;
				await tracy('POST', '/v1/moves', { record: { id: back }, state: { id: 2 } });
				const wantNew = [automationLead, lead, back].filter(Boolean);
				const wantEntered = [automationLead, back].filter(Boolean);
				const ids = (list: ServerExecution[], node: string) =>
					list.flatMap((e) => items(e, node).map((i) => i.id as number));
				let news: ServerExecution[] = [];
				let enters: ServerExecution[] = [];
				while (Date.now() - startedAt < POLL_WAIT_MS) {
					news = await server.executions(newId, 0, 0);
					enters = await server.executions(enteredId, 0, 0);
					const done =
						wantNew.every((id) => ids(news, newRecord.name).includes(id)) &&
						wantEntered.every((id) => ids(enters, entered.name).includes(id));
					if (done) break;
					await sleep(2000);
				}
				// one more tick of each poller, with nothing new: nothing repeated, and what an idle poll costs
				const mark = emulator.requests.length;
				// the leads' pollers only (the bulk-import trigger polls the Companies dataset)
				const later = (): ReceivedRequest[] =>
					emulator.requests
						.slice(mark)
						.filter((r) => r.headers['x-api-key'] === sales && r.query.dataset === '1');
				const ticked = () =>
					later().some((r) => r.query.order === 'desc') &&
					later().some((r) => r.query.state === '2');
				while (!ticked() && Date.now() - startedAt < POLL_WAIT_MS) await sleep(1000);
				await sleep(2000);
				news = await server.executions(newId, 0, 0);
				enters = await server.executions(enteredId, 0, 0);
				const idle: ReceivedRequest[] | undefined = ticked() ? later() : undefined;
				return {
					activation: polled,
					lead,
					news,
					enters,
					newIds: ids(news, newRecord.name),
					enteredIds: ids(enters, entered.name),
					wantNew,
					wantEntered,
					idle,
				};
			},
			(
				c,
				{ activation, newIds, enteredIds, wantNew, wantEntered, news, enters, idle, requests },
			) => {
				c.that(
					activation.some(
						(r) => r.query.order === 'desc' && r.query.pageSize === '1' && !r.query.state,
					),
					'the New Record activation poll read the newest record only',
				);
				c.that(
					activation.some((r) => r.query.state === '2' && r.query.order === 'asc'),
					'the Record Entered State activation poll listed the state',
				);
				c.equal(
					[...newIds].sort((a, b) => a - b),
					wantNew,
					'New Record emitted the three new leads, each once, nothing older',
				);
				c.that(
					newIds.every((id) => id > newestBefore),
					'no backlog: nothing created before activation',
				);
				c.equal(
					[...enteredIds].sort((a, b) => a - b),
					wantEntered,
					'Record Entered State emitted the two leads that entered Qualified, each once',
				);
				c.that(
					[...news, ...enters].every((e) => e.status === 'success'),
					'every trigger execution succeeded',
				);
				if (idle) {
					const idleNew = idle.filter((r) => !r.query.state);
					c.that(
						idleNew.length >= 1 &&
							idleNew.every((r) => r.query.pageSize === '1' && !r.query.include),
						`an idle New Record poll is one small request: ${idle.map((r) => r.path + JSON.stringify(r.query)).join(' ')}`,
					);
					c.that(
						idle
							.filter((r) => r.query.state === '2')
							.every((r) => r.path === '/v1/records' && r.query.page === '1'),
						"an idle Record Entered State poll reads the state's one page, and no record",
					);
				} else {
					c.that(
						false,
						`no further poll tick within ${POLL_WAIT_MS / 1000} s of n8n's start to check that nothing repeats`,
					);
				}
				const triggerReads = requests.filter(
					(r) => r.headers['x-api-key'] === sales && r.method === 'GET',
				);
				c.that(
					triggerReads.every((r) => r.status === 200),
					'every poll request was answered 200',
				);
				c.that(
					requests.filter((r) => r.headers['x-api-key'] === sales).every((r) => r.method === 'GET'),
					'the pollers only read',
				);
			},
			{ onFailure: () => server.logTail(60) },
		);

		await scenario(
			BULK,
			emulator,
			async () => {
				const ids = (list: ServerExecution[]) =>
					list.flatMap((e) => items(e, newCompany.name).map((i) => i.id as number));
				let runs: ServerExecution[] = [];
				while (Date.now() - startedAt < POLL_WAIT_MS + 60_000) {
					runs = await server.executions(bulkId, 0, 0);
					if (ids(runs).length >= BULK_SIZE) break;
					await sleep(2000);
				}
				// executions as n8n started them, oldest first
				runs = [...runs].sort((a, b) => Number(a.id) - Number(b.id));
				return { runs, perRun: runs.map((r) => ids([r])) };
			},
			(c, { runs, perRun }) => {
				c.that(runs.length >= 2, `the import came in ${runs.length} executions, not one`);
				c.equal(
					perRun[0],
					companies.slice(0, BULK_CAP),
					'the first poll emitted the 25 oldest companies, oldest first',
				);
				c.that(
					perRun.every((list) => list.length <= BULK_CAP),
					`no execution held more than ${BULK_CAP}: ${perRun.map((l) => l.length).join(', ')}`,
				);
				c.equal(
					perRun.flat(),
					companies,
					'all 50 were emitted, each once, in the order they were created',
				);
				c.that(
					runs.every((e) => e.status === 'success'),
					'every execution succeeded',
				);
			},
			{ onFailure: () => server.logTail(60) },
		);
	} finally {
		emulator.automations = [];
		await server.stop();
	}
}
