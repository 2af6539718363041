/**
 * The benchmark's way into n8n-core's workflow engine: the same steps as test/harness.ts (WorkflowExecute,
 * generic authentication resolved as expressions, defaults filled as the editor fills them), with a
 * registry that holds any node type (the Tracy node, the floor node, n8n's HTTP Request node) and a
 * logger that keeps nothing, so that a run of thousands of items measures the engine, not a log buffer.
 */
import { WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	ITaskData,
	IWorkflowExecuteAdditionalData,
	Logger as LoggerType,
} from 'n8n-workflow';
import { createRunExecutionData, LoggerProxy, NodeHelpers, Workflow } from 'n8n-workflow';

import {
	additionalDataBase,
	GenericAuthCredentialsHelper,
	NodeTypeRegistry,
} from '../test/engine-data';

const silent = Object.fromEntries(
	['error', 'warn', 'info', 'debug'].map((level) => [level, () => {}]),
) as unknown as LoggerType;
(silent as unknown as { scoped: () => LoggerType }).scoped = () => silent;
LoggerProxy.init(silent);

export const nodeTypes = new NodeTypeRegistry();

/** Credential types by name: their `authenticate` must be generic, as for the Tracy API credential. */
const credentialTypes = new Map<string, ICredentialType>();

export function registerCredentialType(type: ICredentialType) {
	credentialTypes.set(type.name, type);
}

/** n8n's own "Header Auth" credential, as the HTTP Request node's generic credential type uses it. */
registerCredentialType({
	name: 'httpHeaderAuth',
	displayName: 'Header Auth',
	properties: [
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{
			displayName: 'Value',
			name: 'value',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { '={{$credentials.name}}': '={{$credentials.value}}' } },
	},
});

let executionCounter = 0;

let mockRecordId = 0;

/**
 * Answers every request without sending it, through n8n-core's own seam for evaluation runs
 * (`additionalData.evalLlmMockHandler`, checked by httpRequest, httpRequestWithAuthentication and the
 * legacy request helpers alike): what is left to measure is the engine and the node, without the network
 * and without the emulator competing for the CPU. The answer is what the emulator gives a create-only key
 * for a new lead.
 */
async function mockHttp(requestOptions: IHttpRequestOptions) {
	return {
		statusCode: 200,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: {
			id: ++mockRecordId,
			dataset: { id: 1, name: 'Leads' },
			state: { id: 1, dataset: { id: 1 }, name: 'New', color: 3447003, position: 1 },
			archived: null,
			removed: null,
			datums: [],
			path: requestOptions.url,
		},
	};
}

function additionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	workflowData: object,
	mock = false,
) {
	const executionId = `bench-execution-${++executionCounter}`;
	return {
		...(mock ? { evalLlmMockHandler: mockHttp } : {}),
		credentialsHelper: new GenericAuthCredentialsHelper(credentialTypes, credentials),
		...additionalDataBase(executionId, workflowData),
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface EngineRun {
	/** Registered node type name. */
	type: string;
	typeVersion?: number;
	parameters: INodeParameters;
	items: IDataObject[];
	/** Credential data by credential type name; the node gets a reference to each. */
	credentials: Record<string, IDataObject>;
	/** Answer requests inside the engine instead of sending them (see mockHttp). */
	mock?: boolean;
	/** The node's On Error setting (Continue On Fail), to count failures instead of stopping at the first. */
	onError?: INode['onError'];
}

export interface EngineResult {
	items: INodeExecutionData[];
	error?: ITaskData['error'];
}

/** A node as the editor saves it: defaults filled for the parameters the user did not touch. */
export function makeNode(
	run: Pick<EngineRun, 'type' | 'typeVersion' | 'parameters' | 'credentials' | 'onError'>,
): INode {
	const typeVersion = run.typeVersion ?? 1;
	const description = nodeTypes.getByNameAndVersion(run.type, typeVersion).description;
	const node: INode = {
		id: 'bench-node',
		name: 'Bench',
		type: run.type,
		typeVersion,
		position: [0, 0],
		parameters: {},
		credentials: Object.fromEntries(
			Object.keys(run.credentials).map((type) => [type, { id: type, name: type }]),
		),
		...(run.onError ? { onError: run.onError } : {}),
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			run.parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	return node;
}

/** Executes one node on the given items through WorkflowExecute, as a manual run of a one-node workflow. */
export async function runInEngine(run: EngineRun): Promise<EngineResult> {
	const node = makeNode(run);
	const workflowData = { id: 'bench', name: 'Benchmark', nodes: [node], connections: {} };
	const workflow = new Workflow({
		id: 'bench',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const items = run.items.map((json) => ({ json }));
	const data = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});
	const execute = new WorkflowExecute(
		additionalData(
			run.credentials as Record<string, ICredentialDataDecryptedObject>,
			workflowData,
			run.mock,
		),
		'manual',
		data,
	);
	const result = await execute.processRunExecutionData(workflow);
	const taskData = result.data.resultData.runData[node.name]?.[0];
	if (!taskData)
		throw new Error(`node did not run: ${String(result.data.resultData.error?.message)}`);
	return { items: taskData.data?.main?.[0] ?? [], error: taskData.error };
}
