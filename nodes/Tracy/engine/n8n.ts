import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodePropertyRouting,
	IPollFunctions,
} from 'n8n-workflow';

/**
 * Every behaviour of n8n that the node relies on and that n8n's types do not promise, held here
 * or named here (docs/development.md › "What the node relies on in n8n" lists each with its test;
 * test/engine-contract.test.ts checks them against n8n-core, test/e2e/suites/engine.ts in a real n8n).
 *
 * Held here:
 * 1. {@link perItemRouting}: n8n's declarative engine calls `routing.operations.pagination` (with
 *    `send.paginate`) once per item, with that item's context and its routed request.
 * 2. {@link everyItemHandedOver}: it hands every item over before any of them can settle (with
 *    Batching: batch by batch, one Batch Interval apart).
 * 3. {@link untilN8nReports}: without Continue On Fail it settles every item, then reports the
 *    lowest item that failed.
 * 4. {@link errorItem}: what the pagination function returns is the item's output, an error item
 *    (`{ message, error }`) included, routed to the error output on 1.x and 2.x.
 * 5. {@link runKey}: the execution ID, the node and `$thisRunIndex` tell runs apart.
 * 6. {@link batchIntervalMs}: n8n's loader (`DirectoryLoader.applyDeclarativeNodeOptionParameters`)
 *    merges its own request options (Batching, Ignore SSL Issues, Proxy, Timeout) into the node's
 *    `requestOptions` collection (form/requestOptions.ts declares only ours).
 * 7. {@link isNewActivation}: n8n polls a trigger with one poll context per activation.
 *
 * Named here, kept where they act (the transport is below the engine and imports nothing of it):
 * - every request, the routed one included, is sent with the context's
 *   `helpers.httpRequestWithAuthentication` (transport/request.ts), not with n8n's own routing
 *   request: so the credential's `authenticate` applies to it as it does in n8n's `RoutingNode`;
 * - the transport reads Timeout, Proxy and Ignore SSL Issues from the loader-merged
 *   `requestOptions` (transport/request.ts, `connectionSettings`), as `RoutingNode` reads them.
 */

/** 1. An operation's routing: n8n runs `runner` for each item, on the request it built from `request`. */
export function perItemRouting(
	request: { method: IHttpRequestMethods; url?: string },
	runner: (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	) => Promise<INodeExecutionData[]>,
): INodePropertyRouting {
	return { request, send: { paginate: true }, operations: { pagination: runner } };
}

/**
 * 2. Resolves once n8n has handed every item of the batch over: nothing of an item settles before
 * the others are handed over, even bad input found at once (n8n starts each item's function in
 * one go and awaits them together).
 */
export async function everyItemHandedOver(): Promise<void> {
	await Promise.resolve();
}

/**
 * 3. An item that fails waits until its run is over, then throws: n8n reports the lowest failed
 * item only once every item has settled, so the wait costs nothing and the error's summary counts
 * every item. If n8n ran items one after the other, the summary would count fewer; nothing hangs.
 */
export async function untilN8nReports(run: { over(): Promise<void> }): Promise<void> {
	await run.over();
}

/**
 * 4. The error item of Continue On Fail: n8n's two-key shape (`{ message, error }`, as its Webflow
 * node makes them), which n8n 1.x and 2.x both route to the error output and keep whole.
 */
export function errorItem(message: string, details: IDataObject, item: number): INodeExecutionData {
	return { json: { message, error: details }, pairedItem: { item } };
}

/** 5. What tells one run of the node from another: the execution, the node and the run index. */
export function runKey(ctx: IExecuteSingleFunctions, index: number): string {
	const node = ctx.getNode();
	const runIndex = ctx.getWorkflowDataProxy(index).$thisRunIndex;
	return `${ctx.getExecutionId()}:${node.id ?? node.name}:${runIndex}`;
}

/** 6. Settings › Request Options › Batching's interval (ms), an option n8n's loader adds; 0 without Batching. */
export function batchIntervalMs(ctx: IExecuteSingleFunctions): number {
	const interval = Number(
		ctx.getNodeParameter('requestOptions.batching.batch.batchInterval', 0) ?? 0,
	);
	return Number.isFinite(interval) && interval > 0 ? interval : 0;
}

/*
 * Process-wide state: the poll contexts this process has polled with. Bound: a WeakSet holds no
 * context n8n has let go of (a deactivated workflow's), so it never outgrows n8n's own.
 */
const polledContexts = new WeakSet<IPollFunctions>();

/**
 * 7. Whether this is the first poll with this context. n8n makes one poll context when it
 * activates a workflow and polls with it until the workflow is deactivated (the e2e "Trigger"
 * scenario checks it on each n8n line): the first poll with a context is that activation's first.
 */
export function isNewActivation(ctx: IPollFunctions): boolean {
	if (polledContexts.has(ctx)) return false;
	polledContexts.add(ctx);
	return true;
}
