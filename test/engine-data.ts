import { DirectoryLoader, ExecutionLifecycleHooks } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeProperties,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';

/** Node types by name, as the n8n server's registry answers the engine. */
const loaded = new WeakSet<INodeType>();

export class NodeTypeRegistry implements INodeTypes {
	private types = new Map<string, INodeType | IVersionedNodeType>();

	register(name: string, type: INodeType | IVersionedNodeType) {
		this.types.set(name, type);
		return this;
	}

	/** Registers a node type as n8n's loader hands it to the engine: with n8n's request options merged in. */
	load(name: string, type: INodeType) {
		// the loader runs once per type, as in n8n: a second merge would add its options again
		if (!loaded.has(type)) DirectoryLoader.applyDeclarativeNodeOptionParameters(type);
		loaded.add(type);
		return this.register(name, type);
	}

	getByName(name: string) {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * Credentials as the n8n server applies them: the real credential classes, whose generic
 * `authenticate` headers (names and values) are resolved as expressions on `$credentials`.
 */
export class GenericAuthCredentialsHelper extends ICredentialsHelper {
	constructor(
		private types: Map<string, ICredentialType>,
		private data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.types.get(typeName);
		if (!type) throw new Error(`Unknown credential type ${typeName}`);
		const { authenticate } = type;
		if (typeof authenticate !== 'object' || authenticate.type !== 'generic')
			throw new Error('expected generic auth');
		const resolve = (value: string) =>
			workflow && node
				? (workflow.expression.getSimpleParameterValue(node, value, 'internal', {
						$credentials: credentials,
					}) as string)
				: value;
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[resolve(name)] = resolve(value as string);
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`no credential data for ${type}`);
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.get(type)?.properties ?? [];
	}
}

/**
 * What n8n-core's WorkflowExecute needs of `additionalData` besides credentials: the hooks and
 * valid URLs (empty strings crash it). Shared by the test harness and the benchmark's engine.
 */
export function additionalDataBase(executionId: string, workflowData: object) {
	return {
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData as never),
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	};
}
