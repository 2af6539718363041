/**
 * `npm run dev`: the Tracy emulator with the demo workspace, and a real n8n on 127.0.0.1:5678 with
 * the package built from the working tree installed as a community package, credentials for the
 * emulator and the example workflows imported. Ctrl-C stops both.
 *
 * The n8n data lives in .dev/n8n-<version> and is kept between runs (your own workflows stay);
 * the credentials and example workflows are imported again on each start. `npm run dev -- --fresh`
 * starts from an empty n8n. N8N_DEV_PORT and TRACY_EMULATOR_PORT change the ports;
 * N8N_E2E_VERSION / N8N_E2E_NODE pick another n8n, as for the end-to-end tests.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { startEmulator } from '../emulator/server';
import type { TracyEmulator } from '../emulator/server';
import {
	freePort,
	installN8n,
	killAll,
	N8nUserFolder,
	REPO_ROOT,
	sleep,
	waitForHealthy,
} from '../e2e/n8n';
import type { CredentialRef, WorkflowJson } from '../e2e/workflows';
import {
	adoptExample,
	chain,
	manualTrigger,
	readExamples,
	tracyCredential,
	tracyNode,
	workflow,
} from '../e2e/workflows';

const N8N_PORT = Number(process.env.N8N_DEV_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.TRACY_EMULATOR_PORT ?? 5690);
// a local, loopback-only instance: the owner account is made for you
/** Bearer token of the MCP example's trigger, for this local instance only. */
const DEV_MCP_TOKEN = 'tracy-dev-mcp-token';
const OWNER = {
	email: 'dev@example.com',
	firstName: 'Tracy',
	lastName: 'Developer',
	password: 'TracyDev2026',
};

function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Prints each request the emulator answers, as it comes. */
function followRequests(emulator: TracyEmulator) {
	let seen = 0;
	const names = new Map(
		(['owner', 'administrator', 'sales', 'webform', 'reader'] as const).map((n) => [
			emulator.keyFor(n),
			`${n} key`,
		]),
	);
	return setInterval(() => {
		for (; seen < emulator.requests.length; seen++) {
			const r = emulator.requests[seen];
			if (r.status === undefined) break; // not answered yet
			const q = new URLSearchParams(r.query).toString();
			const key =
				names.get(String(r.headers['x-api-key'] ?? '')) ??
				(r.headers['x-api-key'] ? 'unknown key' : 'no key');
			console.log(`[tracy] ${r.method} ${r.path}${q ? `?${q}` : ''} -> ${r.status} (${key})`);
		}
	}, 300);
}

async function setUpOwner(baseUrl: string) {
	const res = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (res.ok) return 'created';
	const text = await res.text();
	if (res.status === 400 && /already/i.test(text)) return 'exists';
	throw new Error(`owner set-up answered ${res.status}: ${text.slice(0, 300)}`);
}

async function main() {
	const fresh = process.argv.includes('--fresh');
	for (const [port, what, variable] of [
		[N8N_PORT, 'n8n', 'N8N_DEV_PORT'],
		[EMULATOR_PORT, 'the Tracy emulator', 'TRACY_EMULATOR_PORT'],
	] as const) {
		if (!(await portFree(port)))
			throw new Error(
				`port ${port} (for ${what}) is in use: stop what uses it, or set ${variable}`,
			);
	}

	const install = installN8n();
	const emulator = await startEmulator({ port: EMULATOR_PORT });
	const folder = new N8nUserFolder(install, {
		root: path.join(REPO_ROOT, '.dev', `n8n-${install.n8nVersion}`),
		env: {
			N8N_PORT: String(N8N_PORT),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			WEBHOOK_URL: `http://127.0.0.1:${N8N_PORT}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${N8N_PORT}/`,
			N8N_SECURE_COOKIE: 'false',
		},
	});
	let n8n: ReturnType<N8nUserFolder['spawn']> | undefined;
	let follower: NodeJS.Timeout | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		if (follower) clearInterval(follower);
		console.log('\nStopping n8n and the Tracy emulator…');
		if (n8n) await folder.stop(n8n);
		killAll();
		await emulator.stop();
		console.log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	process.on('SIGHUP', () => void stop(0));

	try {
		if (fresh || !fs.existsSync(folder.root)) folder.reset();
		folder.installPackageTarball();

		const sales: CredentialRef = { id: 'devTracySales', name: 'Tracy emulator · Sales key' };
		const webform: CredentialRef = {
			id: 'devTracyWebForm',
			name: 'Tracy emulator · Web form key (create only)',
		};
		const assistant: CredentialRef = {
			id: 'devTracyAssistant',
			name: 'Tracy emulator · Sales assistant key (read and move)',
		};
		const mcpToken: CredentialRef = { id: 'devMcpBearer', name: 'MCP clients (local token)' };
		console.log('Importing the emulator credentials and the example workflows…');
		await folder.importCredentials([
			tracyCredential(sales, emulator.keyFor('sales'), emulator.url),
			tracyCredential(webform, emulator.keyFor('webform'), emulator.url),
			tracyCredential(assistant, emulator.keyFor('assistant'), emulator.url),
			{ ...mcpToken, type: 'httpBearerAuth', data: { token: DEV_MCP_TOKEN } },
		]);
		// the examples' tools get the key their notes ask for
		// the trigger examples read the dataset, which the create-only key cannot
		const byExampleId = {
			tracyWebFormKey: webform,
			tracyAssistantKey: assistant,
			tracyMcpBearer: mcpToken,
			tracyTriggerKey: sales,
		};
		const start = manualTrigger();
		const getMany = tracyNode(
			'Get Leads',
			{
				resource: 'record',
				operation: 'getAll',
				dataset: { __rl: true, mode: 'id', value: '1' },
				returnAll: true,
				simplify: true,
			},
			sales,
			[220, 0],
		);
		const tryIt = workflow(
			'devTryTracy',
			'Try Tracy: list the leads',
			[start, getMany],
			chain({}, start.name, getMany.name),
		);
		const examples = readExamples();
		const workflows: WorkflowJson[] = [
			tryIt,
			...examples.map(({ workflow: wf }, i) =>
				adoptExample(wf, `devExample${i + 1}`, webform, byExampleId),
			),
		];
		await folder.importWorkflows(workflows);

		const log = fs.openSync(path.join(folder.root, 'n8n.log'), 'a');
		console.log(
			`Starting n8n ${install.n8nVersion} on Node.js ${install.nodeVersion} (log: ${path.relative(REPO_ROOT, folder.root)}/n8n.log)…`,
		);
		n8n = folder.spawn(['start'], 'pipe');
		n8n.stdout!.on('data', (d: Buffer) => fs.writeSync(log, d));
		n8n.stderr!.on('data', (d: Buffer) => fs.writeSync(log, d));
		n8n.once('exit', (code, signal) => {
			if (stopping) return;
			console.error(`\nn8n stopped by itself (${code ?? signal}). The end of its log:`);
			const text = fs.readFileSync(path.join(folder.root, 'n8n.log'), 'utf8');
			console.error(text.split('\n').slice(-40).join('\n'));
			void stop(1);
		});
		const url = `http://127.0.0.1:${N8N_PORT}`;
		await waitForHealthy(url, n8n);
		// the editor answers /healthz a moment before the REST API is mounted
		let owner = '';
		for (let i = 0; !owner; i++) {
			try {
				owner = await setUpOwner(url);
			} catch (error) {
				if (i > 40) throw error;
				await sleep(250);
			}
		}

		const hook = examples
			.flatMap((e) => e.workflow.nodes)
			.find((n) => n.type === 'n8n-nodes-base.webhook');
		const mcp = examples
			.map((e) => ({
				workflow: e.workflow,
				trigger: e.workflow.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.mcpTrigger'),
			}))
			.find((e) => e.trigger) as
			| { workflow: WorkflowJson; trigger: WorkflowJson['nodes'][number] }
			| undefined;
		const lines = [
			'',
			`n8n is ready: ${url}`,
			`  Sign in as ${OWNER.email} / ${OWNER.password} (${owner === 'created' ? 'just made' : 'made on the first run'} for this local instance).`,
			`Tracy emulator (demo workspace): ${emulator.url}`,
			'',
			'What to click:',
			`  1. Overview → "${tryIt.name}" → Execute workflow. Open the "Get Leads" node: the demo leads.`,
			...(hook
				? [
						`  2. Overview → "${examples.find((e) => e.workflow.nodes.includes(hook))!.workflow.name}" → Execute workflow; it waits for a form submission. Send one:`,
						`       curl -X POST ${url}/webhook-test/${String(hook.parameters.path)} -H 'content-type: application/json' \\`,
						`         -d '{"name":"Ada Lovelace","email":"ada@example.com","company":"Analytical Engines"}'`,
					]
				: []),
			'  3. Add a Tracy node to any workflow (search "Tracy" in the nodes panel); pick a "Tracy emulator" credential.',
			...(mcp
				? [
						`  4. Overview → "${mcp.workflow.name}" → Publish; then point an MCP client at ${url}/mcp/${String(mcp.trigger.parameters.path)}`,
						`       with the header "Authorization: Bearer ${DEV_MCP_TOKEN}", for example: npx @modelcontextprotocol/inspector`,
					]
				: []),
			'',
			'Requests to the emulator are printed below as [tracy] lines. Ctrl-C stops n8n and the emulator.',
			'',
		];
		console.log(lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n'));
		follower = followRequests(emulator);
	} catch (error) {
		console.error(
			`\nnpm run dev failed: ${error instanceof Error ? error.message : String(error)}`,
		);
		await stop(1);
	}
}

main().catch((error) => {
	killAll();
	console.error(error);
	process.exit(1);
});
