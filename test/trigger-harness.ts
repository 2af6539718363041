/**
 * Runs the Tracy triggers the way an n8n server does, through n8n-core:
 * - polling: a PollContext per poll, the poll function through TriggersAndPollers, static data
 *   saved as n8n saves it (after activation and with every emit, not after a poll that emits
 *   nothing), each emit started as an execution through WorkflowExecute, a restart = a new
 *   Workflow from the saved static data; "Fetch Test Event" = a manual WorkflowExecute run;
 * - webhooks: a real HTTP server on 127.0.0.1 that hands each request to the node's `webhook`
 *   through a WebhookContext, answers as n8n's webhook handler does, and starts an execution when
 *   the node returns workflow data.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Container } from '@n8n/di';
import {
	HookContext,
	PollContext,
	TriggersAndPollers,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { TracyApi } from '../credentials/TracyApi.credentials';
import { TracyAutomationSecretApi } from '../credentials/TracyAutomationSecretApi.credentials';
import { TracyAutomationTrigger } from '../nodes/Tracy/TracyAutomationTrigger.node';
import { TracyTrigger } from '../nodes/Tracy/TracyTrigger.node';
import { additionalDataBase, GenericAuthCredentialsHelper, NodeTypeRegistry } from './engine-data';
import type { CredentialData } from './harness';

export const POLL_TYPE = 'n8n-nodes-tracy.tracyTrigger';
export const AUTOMATION_TYPE = 'n8n-nodes-tracy.tracyAutomationTrigger';

const pollNode = new TracyTrigger();
const automationNode = new TracyAutomationTrigger();
const nodeTypes = new NodeTypeRegistry()
	.register(POLL_TYPE, pollNode)
	.register(AUTOMATION_TYPE, automationNode);
const credentialTypes = new Map<string, ICredentialType>([
	['tracyApi', new TracyApi()],
	['tracyAutomationSecretApi', new TracyAutomationSecretApi()],
]);

let counter = 0;

function additionalData(
	credentials: CredentialData,
	workflowData: object,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
	secretCredential?: string,
) {
	return {
		credentialsHelper: new GenericAuthCredentialsHelper(credentialTypes, {
			tracyApi: credentials as unknown as ICredentialDataDecryptedObject,
			...(secretCredential !== undefined
				? { tracyAutomationSecretApi: { secret: secretCredential } }
				: {}),
		}),
		...additionalDataBase(`trigger-execution-${++counter}`, workflowData),
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

function makeNode(
	type: string,
	name: string,
	nodeType: INodeType,
	parameters: INodeParameters,
): INode {
	const node: INode = {
		id: `${name}-id`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { tracyApi: { id: '1', name: 'Tracy account' } },
		webhookId: 'c0ffee00-0000-4000-8000-000000000001',
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			parameters,
			true,
			false,
			node,
			nodeType.description,
		) ?? {};
	return node;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** An execution the trigger started, as n8n runs it: the trigger node first, with what it emitted. */
async function startExecution(
	workflow: Workflow,
	node: INode,
	data: INodeExecutionData[][],
	extra: IWorkflowExecuteAdditionalData,
	mode: WorkflowExecuteMode,
) {
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
	});
	const run: IRun = await new WorkflowExecute(extra, mode, runData).processRunExecutionData(
		workflow,
	);
	const task = run.data.resultData.runData[node.name]?.[0];
	return {
		items: (task?.data?.main?.[0] ?? []).map((i) => i.json),
		error: run.data.resultData.error ?? task?.error,
		run,
	};
}

export type Execution = Awaited<ReturnType<typeof startExecution>>;

/** An active polling trigger in one n8n process; `restart()` is a new process reading the saved static data. */
export class PollingTrigger {
	readonly node: INode;
	/** The workflow's static data as n8n last wrote it to its database. */
	saved: IDataObject = {};
	readonly executions: Execution[] = [];
	private workflow!: Workflow;

	constructor(
		parameters: INodeParameters,
		private credentials: CredentialData,
	) {
		this.node = makeNode(POLL_TYPE, 'Tracy Trigger', pollNode, parameters);
		this.load();
	}

	private load() {
		this.workflow = new Workflow({
			id: 'wf-poll',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: clone(this.saved),
		});
	}

	private save() {
		const data = clone(this.workflow.staticData);
		delete data.__dataChanged;
		this.saved = data;
	}

	get staticData(): IDataObject {
		return clone(this.workflow.staticData[`node:${this.node.name}`] as IDataObject) ?? {};
	}

	/** The poll context of the current activation: n8n makes one per activation and polls with it until deactivated. */
	private context?: PollContext;

	private activation(mode: WorkflowActivateMode) {
		const extra = additionalData(this.credentials, {
			id: 'wf-poll',
			nodes: [this.node],
			connections: {},
		});
		// n8n saves the static data when the poll emits
		this.context = new PollContext(this.workflow, this.node, extra, 'trigger', mode, () =>
			this.save(),
		);
	}

	/**
	 * One poll with the current activation's context; `activation` starts a new activation first
	 * (n8n's activation poll: then the static data is saved even when nothing is emitted).
	 */
	async poll(activation?: WorkflowActivateMode): Promise<Execution | null> {
		if (activation || !this.context) this.activation(activation ?? 'activate');
		const context = this.context!;
		const emitted = await Container.get(TriggersAndPollers).runPollFunction(
			this.workflow,
			this.node,
			context,
		);
		if (emitted !== null) context.__emit(emitted);
		if (activation) this.save();
		if (!emitted) return null;
		const extra = additionalData(this.credentials, {
			id: 'wf-poll',
			nodes: [this.node],
			connections: {},
		});
		const execution = await startExecution(this.workflow, this.node, emitted, extra, 'trigger');
		this.executions.push(execution);
		return execution;
	}

	async activate() {
		return await this.poll('activate');
	}

	/** The user turns the workflow off and on again: n8n reads the saved static data and activates it ('activate'). */
	async reactivate() {
		this.load();
		return await this.poll('activate');
	}

	/** n8n stops and starts again: the workflow is rebuilt from the saved static data and activated ('init'). */
	async restart() {
		this.load();
		return await this.poll('init');
	}

	/** The editor's "Fetch Test Event": a manual execution that starts at the trigger. */
	async fetchTestEvent() {
		const workflow = new Workflow({
			id: 'wf-poll',
			nodes: [this.node],
			connections: {},
			active: false,
			nodeTypes,
			staticData: clone(this.saved),
		});
		const extra = additionalData(this.credentials, {
			id: 'wf-poll',
			nodes: [this.node],
			connections: {},
		});
		const result = await startExecution(workflow, this.node, [[]], extra, 'manual');
		return { ...result, staticData: clone(workflow.staticData) };
	}
}

export interface WebhookCall {
	status: number;
	body: string;
}

/** An active Tracy Automation Trigger behind a real HTTP server, as n8n serves webhooks. */
export class AutomationTriggerServer {
	readonly node: INode;
	readonly executions: Execution[] = [];
	/** Every request the server got, with the answer it gave. */
	readonly received: Array<{ url: string; status?: number }> = [];
	private server?: http.Server;
	private running = new Set<Promise<unknown>>();
	url = '';
	private readonly workflow: Workflow;

	constructor(
		parameters: INodeParameters,
		private credentials: CredentialData,
		/** The secret of a Tracy Automation Secret credential chosen on the node, if any. */
		private secretCredential?: string,
	) {
		this.node = makeNode(AUTOMATION_TYPE, 'Tracy Automation Trigger', automationNode, parameters);
		if (secretCredential !== undefined)
			this.node.credentials!.tracyAutomationSecretApi = { id: '2', name: 'Automation secret' };
		this.workflow = new Workflow({
			id: 'wf-hook',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
		});
	}

	private webhookData(extra: IWorkflowExecuteAdditionalData): IWebhookData {
		const description = automationNode.description.webhooks![0];
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${this.node.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId: 'wf-hook',
			workflowExecuteAdditionalData: extra,
			webhookId: this.node.webhookId,
		};
	}

	/** n8n's activation of the webhook: `checkExists`, then `create`, through a HookContext. */
	async activate() {
		const extra = additionalData(
			this.credentials,
			{ id: 'wf-hook', nodes: [this.node], connections: {} },
			{},
			this.secretCredential,
		);
		const methods = automationNode.webhookMethods.default;
		const context = new HookContext(
			this.workflow,
			this.node,
			extra,
			'trigger',
			'activate',
			this.webhookData(extra),
		);
		if (!(await methods.checkExists.call(context))) await methods.create.call(context);
	}

	async start() {
		this.server = http.createServer((req, res) => {
			const handled = this.handle(req, res);
			this.running.add(handled);
			void handled.finally(() => this.running.delete(handled));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}/webhook/${this.node.webhookId}/tracy-automation`;
		return this;
	}

	/** Waits for the requests being handled and the executions they started. */
	async settled() {
		while (this.running.size) await Promise.all([...this.running]);
	}

	async stop() {
		await this.settled();
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
		const entry: { url: string; status?: number } = { url: req.url ?? '' };
		this.received.push(entry);
		res.on('finish', () => (entry.status = res.statusCode));
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		// what n8n's body parsers and express give the node
		let body: unknown = {};
		if (text && /json/.test(String(req.headers['content-type']))) body = JSON.parse(text);
		else if (text) body = Object.fromEntries(new URLSearchParams(text));
		const request = Object.assign(req, {
			body,
			query: Object.fromEntries(url.searchParams),
			params: {},
		});
		const extra = additionalData(
			this.credentials,
			{ id: 'wf-hook', nodes: [this.node], connections: {} },
			{
				httpRequest: request as never,
				httpResponse: res as never,
			},
			this.secretCredential,
		);
		let result: IWebhookResponseData;
		try {
			const context = new WebhookContext(
				this.workflow,
				this.node,
				extra,
				'webhook',
				this.webhookData(extra),
				[],
				null,
			);
			result = await automationNode.webhook.call(context);
		} catch (error) {
			if (!res.headersSent)
				res.writeHead(500).end(JSON.stringify({ message: (error as Error).message }));
			return;
		}
		// n8n's onReceived answer, unless the node answered itself
		if (result.noWebhookResponse !== true && !res.headersSent) {
			res
				.writeHead(200, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message: 'Workflow was started' }));
		}
		if (result.workflowData)
			this.executions.push(
				await startExecution(this.workflow, this.node, result.workflowData, extra, 'webhook'),
			);
	}
}

export async function postJson(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<WebhookCall> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: await res.text() };
}
