import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyOptions,
	NodeApiError,
} from 'n8n-workflow';

import type { AnswerKind } from '../contract/assumptions';
import { isRead } from '../transport/errors';
import { asNodeError, sendRouted } from '../transport/request';
import { errorItem, everyItemHandedOver, perItemRouting, untilN8nReports } from './n8n';
import { outcomeOf } from './outcome';
import { TracyItem } from './item';

/**
 * One operation of the Tracy node, in the order its item goes through it: the routed request n8n
 * builds from the description, the checks that complete it before anything is sent, the sending,
 * and the output. `Plan` is what the operation carries from its checks to its requests.
 */
export type OperationSteps<Plan> = {
	/** The routed request: method and path, as n8n's routing declares it. */
	request: { method: IHttpRequestMethods; url?: string };
	/** What Tracy answers the routed request with (A13): a 2xx answer of another shape is an error. */
	answer: AnswerKind;
	/** Whether the item writes (for the summary of a stopped batch); by default, when the method is not a read. */
	writes?: boolean;
	/** Reads and checks the item's parameters and completes the routed request; sends nothing. Bad input throws here. */
	prepare: (item: TracyItem, request: IHttpRequestOptions) => Promise<Plan> | Plan;
} & (
	| {
			/** The routed request is sent once; this makes the item's output from Tracy's answer. */
			output: (item: TracyItem, plan: Plan, answer: IDataObject) => IDataObject;
	  }
	| {
			/** The item's requests, when there is more than the routed one, and its output. */
			run: (
				item: TracyItem,
				plan: Plan,
				request: IHttpRequestOptions,
			) => Promise<INodeExecutionData[]>;
	  }
);

function listItems(indexes: number[]): string {
	const shown = indexes.slice(0, 20).map((i) => String(i + 1));
	return `${shown.join(', ')}${indexes.length > shown.length ? ` and ${indexes.length - shown.length} more` : ''}`;
}

/** Which item stopped the execution and, for writes, which items Tracy had accepted: read once every item has settled. */
function stopSummary(item: TracyItem, writes: boolean): string | undefined {
	const { run } = item;
	if (run.size < 2) return undefined;
	const lines = [
		`The execution stopped at item ${item.index + 1} of ${run.size}${item.name ? ` (${item.name})` : ''}.`,
	];
	if (writes) {
		const written = [...run.written].sort((a, b) => a - b);
		lines.push(
			written.length
				? `Tracy had accepted the writes of ${written.length} of the ${run.size} items (item${written.length === 1 ? '' : 's'} ${listItems(written)}): running the same items again would write those again.`
				: 'Tracy had accepted no write of this batch.',
		);
	}
	const failed = [...run.failed].sort((a, b) => a - b);
	lines.push(
		`Written: ${run.written.size}, failed: ${failed.length}${failed.length ? ` (item${failed.length === 1 ? '' : 's'} ${listItems(failed)})` : ''}, not sent: ${run.notSent.size}.`,
	);
	return lines.join(' ');
}

/**
 * The item's whole way through an operation, run where n8n's declarative engine hands an item's
 * request to the node: `routing.operations.pagination` (with `send.paginate`), typed by n8n as a
 * function of the item's context and its routed request. In one function, the item's steps share
 * typed state, and:
 * - bad input fails the item before anything is sent, and under Continue On Fail yields an error
 *   item paired to its input (the engine's own error items are not paired);
 * - every request goes through the one transport (transport/request.ts);
 * - an error that stops a batch says which item it was and which items' writes went through.
 */
function runner<Plan>(steps: OperationSteps<Plan>) {
	const writes = steps.writes ?? !isRead(steps.request.method);
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const item = new TracyItem(this);
		await everyItemHandedOver();
		try {
			// the path is the routing's, or the one `prepare` puts in (a record's ID)
			const request = requestData.options as IHttpRequestOptions;
			const plan = await steps.prepare(item, request);
			const result =
				'run' in steps
					? await steps.run(item, plan, request)
					: [
							{
								json: steps.output(
									item,
									plan,
									await sendRouted<IDataObject>(item, request, steps.answer),
								),
								pairedItem: { item: item.index },
							},
						];
			if (writes && !item.noWrite) item.run.written.add(item.index);
			item.run.settle();
			return result;
		} catch (caught) {
			const error = asNodeError(this, caught);
			if (!this.continueOnFail()) {
				item.failed();
				item.run.settle();
				await untilN8nReports(item.run);
				const summary = stopSummary(item, writes);
				// an error one item shares with others (a cached read) is summed up by the item it was made for
				const own =
					error.context?.itemIndex === undefined || error.context.itemIndex === item.index;
				if (summary && own)
					error.description = [error.description, summary].filter(Boolean).join('\n');
				throw error;
			}
			item.run.settle();
			// `error.outcome` tells a workflow whether the item may be in Tracy (refused, unreachable, unknown)
			const httpCode = (error as Partial<NodeApiError>).httpCode;
			const details: IDataObject = {
				message: error.message,
				...(error.description ? { description: error.description } : {}),
				...(httpCode ? { httpCode } : {}),
				outcome: outcomeOf(error),
			};
			return [errorItem(error.message, details, item.index)];
		}
	};
}

/**
 * An operation's entry in the Operation list, as its file declares it: its name, and beside it the
 * line the canvas shows under the node for it (`subtitle`, "Get Many Records").
 */
export type OperationEntry = Pick<
	INodePropertyOptions,
	'name' | 'value' | 'action' | 'description'
> & {
	subtitle: string;
};

/** An operation's entry with the routing that runs it (form/compose.ts takes the subtitle out for n8n). */
export type OperationOption = INodePropertyOptions & { subtitle: string };

/** An operation's entry in the Operation list, with the routing that runs it. */
export function tracyOperation<Plan>(
	option: OperationEntry,
	steps: OperationSteps<Plan>,
): OperationOption {
	return {
		...option,
		routing: perItemRouting(steps.request, runner(steps)),
	};
}
