/**
 * The benchmark's way into n8n-core's workflow engine: the steps of test/harness.ts (WorkflowExecute,
 * generic authentication resolved as expressions, defaults filled as the editor fills them), with a
 * registry for any node type (the Tracy node, the floor node, n8n's HTTP Request node) and a logger that
 * keeps nothing, so that a run of thousands of items measures the engine, not a log buffer.
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
	Logger,
} from 'n8n-workflow';
import { createRunExecutionData, LoggerProxy, NodeHelpers, Workflow } from 'n8n-workflow';

import {
	additionalDataBase,
	GenericAuthCredentialsHelper,
	NodeTypeRegistry,
} from '../test/engine-data';

const silent = Object.fromEntries(
	['error', 'warn', 'info', 'debug'].map((level) => [level, () => {}]),
) as unknown as Logger & { scoped: () => Logger };
silent.scoped = () => silent;
LoggerProxy.init(silent);

export const nodeTypes = new NodeTypeRegistry();

/** Credential types by name: their `authenticate` must be generic, as for the Tracy API credential. */
const credentialTypes = new Map<string, ICredentialType>();
export const registerCredentialType = (type: ICredentialType) =>
	credentialTypes.set(type.name, type);

let executionCounter = 0;
let mockRecordId = 0;

/**
 * Answers every request without sending it, through n8n-core's own seam for evaluation runs
 * (`additionalData.evalLlmMockHandler`, checked by all its HTTP helpers): what is left to measure is the
 * engine and the node, without the network and the emulator competing for the CPU. The answer is what
 * the emulator gives a create-only key for a new lead.
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

/** Executes one node on the given items through WorkflowExecute, as a manual run of a one-node workflow. */
export async function runInEngine(run: EngineRun): Promise<EngineResult> {
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
	// a node as the editor saves it: defaults filled for the parameters the user did not touch
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			run.parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const workflowData = { id: 'bench', name: 'Benchmark', nodes: [node], connections: {} };
	const workflow = new Workflow({ ...workflowData, active: false, nodeTypes });
	const data = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node, data: { main: [run.items.map((json) => ({ json }))] }, source: null },
			],
		},
	});
	const additionalData = {
		...(run.mock ? { evalLlmMockHandler: mockHttp } : {}),
		credentialsHelper: new GenericAuthCredentialsHelper(
			credentialTypes,
			run.credentials as Record<string, ICredentialDataDecryptedObject>,
		),
		...additionalDataBase(`bench-execution-${++executionCounter}`, workflowData),
	} as unknown as IWorkflowExecuteAdditionalData;
	const result = await new WorkflowExecute(additionalData, 'manual', data).processRunExecutionData(
		workflow,
	);
	const taskData = result.data.resultData.runData[node.name]?.[0];
	if (!taskData)
		throw new Error(`node did not run: ${String(result.data.resultData.error?.message)}`);
	return { items: taskData.data?.main?.[0] ?? [], error: taskData.error };
}
