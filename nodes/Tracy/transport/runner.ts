import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	NodeApiError,
	PreSendAction,
} from 'n8n-workflow';

import { isRead } from './errors';
import { itemState, runState } from './itemState';
import { asNodeError, outcomeOf, withRetries } from './request';

/**
 * How each item's request is sent. The declarative engine offers one hook around an item's
 * request, `requestOperations.pagination`; every operation uses it (with `send.paginate: true`)
 * so that:
 * - bad input found by a preSend hook fails that item without sending anything, yet still
 *   yields an error item paired to its input under "Continue On Fail" (the engine's own error
 *   items carry no pairing, which loses them on the error output);
 * - the routed request goes through the transport's one retry loop;
 * - operations that need more than one request (Get Many's pages, Skip if Exists) plug in here;
 * - an error that stops a batch says which item it was and which items' writes went through.
 */
export type ItemStrategy = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

/** Runs an operation's preSend hooks in order; an error is kept for the item instead of thrown. */
export function guard(...hooks: PreSendAction[]): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		let options = requestOptions;
		try {
			for (const hook of hooks) options = await hook.call(this, options);
		} catch (error) {
			itemState(this).inputError = error as Error;
		}
		return options;
	};
}

/** The routed request of an item (one page, one create) through the one retry loop, with its postReceive hooks. */
export async function sendRouted(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await withRetries(
		ctx,
		requestData.options as IHttpRequestOptions,
		async () => await ctx.makeRoutingRequest(requestData),
	);
}

function listItems(indexes: number[]): string {
	const shown = indexes.slice(0, 20).map((i) => String(i + 1));
	return `${shown.join(', ')}${indexes.length > shown.length ? ` and ${indexes.length - shown.length} more` : ''}`;
}

/**
 * Names the item that stops the execution and, for writes, which items Tracy had accepted by the
 * time the execution stopped. n8n settles every item of the run before it reports the error, so
 * the summary is read when the error is shown, not when it was made.
 */
function explainStop(
	error: Error & { description?: string | null },
	item: IExecuteSingleFunctions,
	writes: boolean,
) {
	const batch = runState(item);
	if (batch.size < 2) return;
	const index = item.getItemIndex();
	const name = itemState(item).name;
	let base = error.description ?? '';
	const summary = () => {
		const lines = [
			`The execution stopped at item ${index + 1} of ${batch.size}${name ? ` (${name})` : ''}.`,
		];
		if (writes) {
			const written = [...batch.written].sort((a, b) => a - b);
			lines.push(
				written.length
					? `Tracy had accepted the writes of ${written.length} of the ${batch.size} items (item${written.length === 1 ? '' : 's'} ${listItems(written)}): running the same items again would write those again.`
					: 'Tracy had accepted no write of this batch.',
			);
		}
		const failed = [...batch.failed].sort((a, b) => a - b);
		lines.push(
			`Written: ${batch.written.size}, failed: ${failed.length}${failed.length ? ` (item${failed.length === 1 ? '' : 's'} ${listItems(failed)})` : ''}, not sent: ${batch.notSent.size}.`,
		);
		return lines.join(' ');
	};
	Object.defineProperty(error, 'description', {
		get: () => [base, summary()].filter(Boolean).join('\n'),
		set: (value: string) => {
			base = value;
		},
		enumerable: true,
		configurable: true,
	});
}

/** The engine's hook around one item's request; `strategy` replaces the single request where an operation needs more. */
export function runItem(strategy?: ItemStrategy, options: { writes?: boolean } = {}) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const item = Object.getPrototypeOf(this) as IExecuteSingleFunctions;
		const state = itemState(this);
		const writes = options.writes ?? !isRead(String(requestData.options.method ?? 'GET'));
		try {
			if (state.inputError) throw state.inputError;
			const result = strategy
				? await strategy.call(this, requestData)
				: await sendRouted(this, requestData);
			if (writes && !state.noWrite) runState(item).written.add(item.getItemIndex());
			return result;
		} catch (error) {
			const nodeError = asNodeError(item, error);
			if (!this.continueOnFail()) {
				// the first failure stops the batch: items that have not sent anything yet are not sent
				const run = runState(item);
				const index = item.getItemIndex();
				if (!run.notSent.has(index)) {
					run.failed.add(index);
					run.failedAt = Math.min(run.failedAt ?? index, index);
				}
				explainStop(nodeError, item, writes);
				throw nodeError;
			}
			// n8n's two-key error item ({ message, error }, as its Webflow node makes them): n8n 1.x and 2.x
			// both route it to the error output and keep it whole; the engine's own error items lose
			// everything but the message. Paired to its input, which the engine's are not. `error.outcome`
			// tells a workflow whether the item may be in Tracy (refused, unreachable, unknown).
			const httpCode = (nodeError as Partial<NodeApiError>).httpCode;
			const details: IDataObject = {
				message: nodeError.message,
				...(nodeError.description ? { description: nodeError.description } : {}),
				...(httpCode ? { httpCode } : {}),
				outcome: outcomeOf(nodeError),
			};
			return [
				{
					json: { message: nodeError.message, error: details },
					pairedItem: { item: this.getItemIndex() },
				},
			];
		}
	};
}
