import type {
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
} from 'n8n-workflow';

/**
 * What an item carries from its preSend hooks to its request and its output. One place, so
 * the data path of an item reads straight through: preSend writes here, the item runner and the
 * operation's own hooks read here.
 */
export interface ItemState {
	/** Bad input found before anything was sent: the item fails with it, nothing is sent. */
	inputError?: Error;
	/** Maps a field path in Tracy's answer (`datums[1]`) to the name the user knows. */
	fieldLabels?: Record<string, string>;
	/** The routed request, as sent (for messages: its method and path). */
	request?: { method: string; url: string };
	/** How a batch error names the item besides its number (a lead's email). */
	name?: string;
	/** Set when the item wrote nothing after all (an existing lead returned). */
	noWrite?: boolean;
	/** Set when the item's first request was let through: a stopped batch still lets it finish its reads. */
	started?: boolean;
	/** Set when the item's first write was let through: from then on it finishes, so that it is not left half-written. */
	wrote?: boolean;
	/** The operation's own plan for the item (the values an Update writes, a lead's email...). */
	plan?: unknown;
}

const states = new WeakMap<object, ItemState>();

/**
 * The state of the item a hook runs for. preSend and postReceive hooks get the item's context;
 * the pagination hook gets a context n8n derives from it (`Object.create(itemContext)`, see
 * RoutingNode.makeRequest), so that one is resolved to its prototype. If n8n changes that, this
 * throws rather than let an item lose its state (test/item-state.test.ts fails loudly too).
 */
export function itemState(ctx: IExecuteSingleFunctions | IExecutePaginationFunctions): ItemState {
	let item: object = ctx;
	if (Object.prototype.hasOwnProperty.call(ctx, 'makeRoutingRequest')) {
		item = Object.getPrototypeOf(ctx) as object;
		if (!item || typeof (item as IExecuteSingleFunctions).getItemIndex !== 'function') {
			throw new Error(
				'The pagination context no longer derives from the item context: the node cannot find the item it runs for',
			);
		}
	}
	let state = states.get(item);
	if (!state) {
		state = {};
		states.set(item, state);
	}
	return state;
}

/**
 * What the items of one run of the node share: n8n gives all of them the run's execute data, so
 * that object is the key. Used for the summary of a stopped batch and for leads created in the run.
 */
export interface RunState {
	/** Items in the run. */
	size: number;
	/** Items whose writes Tracy accepted, by index. */
	written: Set<number>;
	/** Without Continue On Fail: the lowest item that failed; no item after it sends what it has not sent yet. */
	failedAt?: number;
	/** Items that failed, and items not sent because an earlier one failed. */
	failed: Set<number>;
	notSent: Set<number>;
	/** Skip if Exists: the first item of the run per email, and its outcome. */
	leads: Map<string, Promise<{ item: number; json: IDataObject }> & { item: number }>;
	/** Create or Update: the last item of the run per match key, so items with the same key go one after the other. */
	upserts: Map<string, Promise<unknown>>;
}

const runs = new WeakMap<object, RunState>();

export function runState(ctx: IExecuteSingleFunctions): RunState {
	const data = ctx.getExecuteData();
	let run = runs.get(data);
	if (!run) {
		run = {
			size: data.data.main?.[0]?.length ?? 1,
			written: new Set(),
			failed: new Set(),
			notSent: new Set(),
			leads: new Map(),
			upserts: new Map(),
		};
		runs.set(data, run);
	}
	return run;
}
