/**
 * Runs the real Tracy node and the real TracyApi credential inside n8n-core's workflow engine,
 * the way the n8n server does: WorkflowExecute → RoutingNode for execution, generic
 * authentication resolved as expressions, the credential test named by the node's testedBy, and
 * listSearch through a LoadOptionsContext.
 */
import { Logger as BackendLogger } from '@n8n/backend-common';
import { CredentialTestContext, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialType,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	IRunExecutionData,
	ITaskData,
	IWorkflowExecuteAdditionalData,
	Logger as LoggerType,
	ResourceMapperFields,
} from 'n8n-workflow';
import { createRunExecutionData, LoggerProxy, NodeHelpers, Workflow } from 'n8n-workflow';

import { additionalDataBase, GenericAuthCredentialsHelper, NodeTypeRegistry } from './engine-data';

import { TracyApi } from '../credentials/TracyApi.credentials';
import { Tracy } from '../nodes/Tracy/Tracy.node';

export const NODE_TYPE = 'n8n-nodes-tracy.tracy';
const CREDENTIAL_TYPE = 'tracyApi';

export interface CredentialData {
	apiKey: string;
	baseUrl: string;
}

/** Log lines n8n and the node wrote, so tests can search them for the key. */
export const capturedLogs: string[] = [];
const captureLogger = Object.fromEntries(
	['error', 'warn', 'info', 'debug'].map((level) => [
		level,
		(message: string, meta?: object) => {
			capturedLogs.push(`${level} ${message} ${meta ? safeStringify(meta) : ''}`);
		},
	]),
) as unknown as LoggerType;
(captureLogger as unknown as { scoped: () => LoggerType }).scoped = () => captureLogger;
LoggerProxy.init(captureLogger);
// n8n-core also logs through its own DI logger, which takes over LoggerProxy when first created:
// every instance's lines are captured too (they still go nowhere else with N8N_LOG_LEVEL=silent)
const loggerPrototype = BackendLogger.prototype as unknown as {
	log: (level: string, message: string, meta?: object) => void;
};
const backendLog = loggerPrototype.log;
loggerPrototype.log = function (level: string, message: string, meta?: object) {
	capturedLogs.push(`${level} ${message} ${meta ? safeStringify(meta) : ''}`);
	return backendLog.call(this, level, message, meta);
};

export function safeStringify(value: unknown): string {
	const seen = new WeakSet();
	try {
		return JSON.stringify(value, (_k, v: unknown) => {
			if (v instanceof Error) {
				const extra: Record<string, unknown> = {};
				for (const k of Object.getOwnPropertyNames(v))
					extra[k] = (v as unknown as Record<string, unknown>)[k];
				return {
					...extra,
					name: v.name,
					message: v.message,
					stack: v.stack,
					cause: (v as { cause?: unknown }).cause,
				};
			}
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[circular]';
				seen.add(v);
			}
			return v;
		});
	} catch (error) {
		return String(error);
	}
}

const credentialType = new TracyApi();
const tracy = new Tracy();

const credentialTypes = new Map([[CREDENTIAL_TYPE, credentialType as ICredentialType]]);
const tracyTypes = () => new NodeTypeRegistry().load(NODE_TYPE, tracy);

let executionCounter = 0;

function additionalData(
	credentials: CredentialData,
	workflowData: { id: string; name: string; nodes: INode[]; connections: object },
) {
	// every execution gets its own id, as on an n8n server
	const executionId = `test-execution-${++executionCounter}`;
	return {
		credentialsHelper: new GenericAuthCredentialsHelper(credentialTypes, {
			[CREDENTIAL_TYPE]: credentials as unknown as ICredentialDataDecryptedObject,
		}),
		...additionalDataBase(executionId, workflowData),
	} as unknown as IWorkflowExecuteAdditionalData;
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	parameters: INodeParameters;
	credentials: CredentialData;
	items?: IDataObject[];
	onError?: OnError;
	/** The node's typeVersion; 1 unless a test says otherwise. */
	typeVersion?: number;
	/** Another copy of the node's module (another n8n process, with state of its own); this one's by default. */
	nodeType?: INodeType;
}

export interface RunResult {
	/** Main output items. */
	items: INodeExecutionData[];
	/** Error output items (onError = continueErrorOutput). */
	errorItems: INodeExecutionData[];
	/** The node's error when the run stopped. */
	error?: ITaskData['error'];
	taskData: ITaskData;
	run: IRunExecutionData;
}

const nodeTypes = tracyTypes();

export function makeNode(parameters: INodeParameters, onError?: OnError, typeVersion = 1): INode {
	const description = tracy.description;
	const node: INode = {
		id: 'tracy-node',
		name: 'Tracy',
		type: NODE_TYPE,
		typeVersion,
		position: [0, 0],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Tracy account' } },
		...(onError ? { onError } : {}),
	};
	// fill defaults as the editor does
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	return node;
}

/** Executes the Tracy node on the given items through WorkflowExecute. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const node = makeNode(options.parameters, options.onError, options.typeVersion);
	const workflowData = { id: 'wf', name: 'Tracy test', nodes: [node], connections: {} };
	const workflow = new Workflow({
		id: 'wf',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: options.nodeType
			? new NodeTypeRegistry().load(NODE_TYPE, options.nodeType)
			: nodeTypes,
	});
	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const data = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});
	const execute = new WorkflowExecute(
		additionalData(options.credentials, workflowData),
		'manual',
		data,
	);
	const run = await execute.processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData.Tracy?.[0];
	if (!taskData) throw new Error(`node did not run: ${safeStringify(run.data.resultData.error)}`);
	return {
		items: taskData.data?.main?.[0] ?? [],
		errorItems: taskData.data?.main?.[1] ?? [],
		error: taskData.error,
		taskData,
		run: run as unknown as IRunExecutionData,
	};
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential test as n8n's CredentialsTester runs it: the credential has no request test, so the
 * function named by the node's `testedBy` runs on n8n-core's CredentialTestContext, whose request helper
 * is the one n8n gives it.
 */
export async function testCredential(credentials: CredentialData): Promise<CredentialTestResult> {
	if ((credentialType as ICredentialType).test)
		throw new Error('the credential declares its own test, which n8n would run instead');
	const testedBy = tracy.description.credentials?.find((c) => c.name === CREDENTIAL_TYPE)?.testedBy;
	if (typeof testedBy !== 'string') throw new Error('no node tests the credential');
	const test = tracy.methods.credentialTest[testedBy as keyof typeof tracy.methods.credentialTest];
	const node = makeNode({});
	const workflowData = { id: 'wf', name: 'cred test', nodes: [node], connections: {} };
	const context = new CredentialTestContext(additionalData(credentials, workflowData));
	const decrypted: ICredentialsDecrypted = {
		id: '1',
		name: 'Tracy account',
		type: CREDENTIAL_TYPE,
		data: credentials as unknown as ICredentialDataDecryptedObject,
	};
	return (await test.call(context, decrypted)) as CredentialTestResult;
}

/** Calls a listSearch method as the editor does when a "From List" dropdown opens. */
export async function listSearch(
	method: string,
	parameters: INodeParameters,
	credentials: CredentialData,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const node = makeNode(parameters);
	const workflowData = { id: 'wf', name: 'list search', nodes: [node], connections: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	// the editor sends the node's current parameters with every list request
	const data = additionalData(credentials, workflowData);
	data.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, data, '');
	const fn = (
		tracy.methods.listSearch as Record<
			string,
			(this: unknown, f?: string, t?: string) => Promise<INodeListSearchResult>
		>
	)[method];
	return await fn.call(context, filter, paginationToken);
}

/** Calls the column mapper's method as the editor does when the Columns field loads. */
export async function mapperColumns(
	parameters: INodeParameters,
	credentials: CredentialData,
): Promise<ResourceMapperFields> {
	const node = makeNode(parameters);
	const workflowData = { id: 'wf', name: 'columns', nodes: [node], connections: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const data = additionalData(credentials, workflowData);
	data.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, data, '');
	return await tracy.methods.resourceMapping.getColumns.call(context);
}

export type { INodeCredentialsDetails };
