import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { LIST_QUERY, parseErrorBody, PATHS } from '../contract/assumptions';

/** What the failing request was for, so that messages can name it. */
export interface ErrorContext {
	method: string;
	url: string;
	qs?: Record<string, unknown>;
	body?: unknown;
	itemIndex?: number;
	/** Maps a field path in Tracy's answer (`datums[1].value`) to the name the user knows. */
	fieldLabels?: Record<string, string>;
	/** Attempts made, when we retried. */
	attempts?: number;
}

const ASSIGNED_ONLY =
	'API keys never get "assigned only" permissions, because a key is not linked to a user: grant the permission to the key\'s role outright.';

/** `/v1/records/42` → `record 42`; `/v1/records?dataset=3` → `the records of dataset 3`. */
function describeTarget(url: string, qs: Record<string, unknown> = {}, body?: unknown): string {
	const path = url.split('?')[0].replace(/^https?:\/\/[^/]+/, '');
	const list = /\/v1\/([a-z-]+)$/.exec(path)?.[1];
	const ref = (key: string) =>
		(body as Record<string, { id?: unknown } | undefined> | undefined)?.[key]?.id as
			| number
			| undefined;
	const datasetFilter = qs[LIST_QUERY.dataset];
	if (list && datasetFilter !== undefined) return `the ${list} of dataset ${String(datasetFilter)}`;
	// the bodies of a create (A2) and a move (A8) name what they touch
	if (list === 'records' && ref('dataset') !== undefined) {
		return `the records of dataset ${ref('dataset')}${ref('state') !== undefined ? ` in state ${ref('state')}` : ''}`;
	}
	if (list === 'moves' && ref('record') !== undefined) return `record ${ref('record')}`;
	// an archive, unarchive or restore (A7) and a datum update name theirs by `id`
	const own = (body as { id?: unknown } | undefined)?.id;
	if (list && typeof own === 'number') return `${list.replace(/s$/, '')} ${own}`;
	if (list) return `the ${list}`;
	const match = /\/v1\/([a-z-]+?)s?\/(\d+)/.exec(path) ?? /\/v1\/([a-z-]+?)s?(?:\/|$)/.exec(path);
	if (!match) return 'the resource';
	return match[2] ? `${match[1]} ${match[2]}` : `the ${match[1]}`;
}

/** Reads may be sent again after a failure; anything else may have been processed. */
export function isRead(method: string) {
	return ['GET', 'HEAD'].includes(method.toUpperCase());
}

const isWrite = (method: string) => !isRead(method);

/** A body with every occurrence of the key replaced, for anything an error shows or keeps. */
export function maskKey<T>(body: T, key?: string): T {
	if (!key || key.length < 4 || body === undefined || body === null) return body;
	if (typeof body === 'string') return body.split(key).join('***') as T;
	try {
		const text = JSON.stringify(body);
		return text.includes(key) ? (JSON.parse(text.split(key).join('***')) as T) : body;
	} catch {
		return body;
	}
}

function labelField(field: string, labels: Record<string, string> | undefined): string {
	if (!field) return '';
	if (labels?.[field]) return labels[field];
	// `datums[2].value` → the label given for `datums[2]`
	const prefix = /^datums\[\d+\]/i.exec(field)?.[0].toLowerCase();
	return (prefix && labels?.[prefix]) || field;
}

/** What an error answer says, read once for the words of its status. */
interface Answer {
	target: string;
	reason?: string;
	permission?: string;
	fieldLines: string[];
	method: string;
	context: ErrorContext;
}

type Words = { message: string; description: string };

function rejected({ fieldLines, reason, context }: Answer): Words {
	const isMove = context.url.split('?')[0].endsWith(PATHS.moves);
	return {
		message: isMove
			? `Tracy refused to move the record: ${fieldLines[0] ?? reason ?? 'the move is not allowed'}`
			: fieldLines.length
				? `Tracy rejected the request: ${fieldLines[0]}`
				: `Tracy rejected the request${reason ? `: ${reason}` : ''}`,
		description: [
			...fieldLines,
			isMove
				? 'Tracy refuses to move a record while a property required in the target state is empty: fill it first (Update), then move.'
				: 'Check the named field and try again.',
		].join('\n'),
	};
}

const lines = (...parts: Array<string | undefined>) => parts.filter(Boolean).join('\n');

/** Tracy's error statuses in words a workflow builder can act on. */
const STATUS_WORDS: Array<
	[(status: number) => boolean, (answer: Answer, status: number) => Words]
> = [
	[(s) => s === 400 || s === 422, rejected],
	[
		(s) => s === 401,
		() => ({
			message: 'Tracy refused the API key (401)',
			description:
				'The key is wrong, incomplete or revoked. Update the Tracy API credential with a valid key.',
		}),
	],
	[
		(s) => s === 403,
		({ permission, target, reason }) => ({
			message: `The API key's role lacks ${permission ? `the "${permission}" permission` : 'a permission'} on ${target}`,
			description: lines(
				reason,
				`Ask your Tracy administrator to grant it to the key's role. ${ASSIGNED_ONLY}`,
			),
		}),
	],
	[
		(s) => s === 404,
		({ target, reason }) => ({
			message: `Tracy found no ${target}`,
			description: lines(
				reason,
				"Check the ID. A record whose properties the key's role may not view is hidden and looks missing too.",
			),
		}),
	],
	[
		(s) => s === 409,
		({ reason }) => ({
			message: `Tracy refused the change because of a conflict${reason ? `: ${reason}` : ''}`,
			description:
				'The record changed in the meantime or is in a state that does not allow this. Read it again, then retry.',
		}),
	],
	[
		(s) => s === 429,
		({ method, context }) => ({
			message: 'Tracy is rate limiting this key (429)',
			description: `This is temporary. ${
				context.attempts ? `The node tried ${context.attempts} times. ` : ''
			}Lower "Items per Batch" or raise "Batch Interval" under Settings › Request Options › Batching, or raise the rate-limit retries.${
				isWrite(method)
					? ' Tracy did not process the refused request, so running the item again is safe.'
					: ''
			}`,
		}),
	],
	[
		(s) => s >= 500,
		({ method, reason, context }, status) => ({
			message: `Tracy had a temporary problem (${status})`,
			description: isWrite(method)
				? `${reason ? `${reason}\n` : ''}The outcome of this ${method} is unknown: it was not retried, so as not to create or change anything twice. Check Tracy before running this item again.`
				: `${reason ? `${reason}\n` : ''}Try again later.${context.attempts ? ` The node tried ${context.attempts} times.` : ''}`,
		}),
	],
	[
		(s) => s >= 300 && s < 400,
		(_answer, status) => ({
			message: `Tracy answered with a redirect (${status}), which the node does not follow`,
			description:
				'The API key is only ever sent to the configured API Base URL. Set the API Base URL in the credential to the final address.',
		}),
	],
];

/** Turns a non-2xx answer from Tracy into an error that says what happened and what to do. */
export function tracyApiError(
	node: INode,
	statusCode: number,
	body: unknown,
	context: ErrorContext,
): NodeApiError {
	const parsed = parseErrorBody(body);
	const answer: Answer = {
		target: describeTarget(context.url, context.qs, context.body),
		reason: parsed.detail ?? parsed.message,
		permission: parsed.permission,
		fieldLines: parsed.fields.map(
			(f) => `${labelField(f.field, context.fieldLabels) || 'request'}: ${f.reasons.join('; ')}`,
		),
		method: context.method.toUpperCase(),
		context,
	};
	const words = STATUS_WORDS.find(([matches]) => matches(statusCode))?.[1](answer, statusCode) ?? {
		message: `Tracy answered ${statusCode}${answer.reason ? `: ${answer.reason}` : ''}`,
		description: answer.fieldLines.join('\n') || 'Unexpected answer from Tracy.',
	};
	const errorBody: IDataObject =
		body && typeof body === 'object' && !Array.isArray(body)
			? { ...(body as IDataObject) }
			: { body: typeof body === 'string' ? body.slice(0, 500) : null };
	return new NodeApiError(node, errorBody as JsonObject, {
		...words,
		httpCode: String(statusCode),
		itemIndex: context.itemIndex,
	});
}

/** A request whose answer never came, or came only in part. */
export function networkError(
	node: INode,
	context: {
		code: string;
		midAnswer: boolean;
		method: string;
		attempts: number;
		timeout?: number;
		itemIndex?: number;
	},
): NodeOperationError {
	const method = context.method.toUpperCase();
	const message = context.midAnswer
		? `The connection to Tracy broke in the middle of its answer (${context.code})`
		: context.code === 'ETIMEDOUT' ||
			  context.code === 'ECONNABORTED' ||
			  context.code === 'ESOCKETTIMEDOUT'
			? `Tracy did not answer within ${context.timeout ?? '?'} ms (timeout)`
			: context.code === 'ECONNREFUSED'
				? 'Tracy refused the connection (ECONNREFUSED)'
				: `The connection to Tracy was lost (${context.code})`;
	let description: string;
	if (!isWrite(method)) {
		description = `The node tried ${context.attempts} time${context.attempts === 1 ? '' : 's'} and gave up. Check the API Base URL and your network, or raise Settings › Request Options › Timeout.`;
	} else if (context.code === 'ECONNREFUSED') {
		description = `Nothing reached Tracy, so the ${method} did not happen. Check the API Base URL and your network, then run the item again.`;
	} else {
		description = `The outcome of this ${method} is unknown: ${
			context.midAnswer
				? 'Tracy received it and began to answer, but the answer was cut off'
				: 'Tracy may have received it'
		}. It was not sent again, so as not to create or change anything twice. Check Tracy before running this item again.`;
	}
	const error = new NodeOperationError(node, message, {
		description,
		itemIndex: context.itemIndex,
	});
	// the code for callers and logs; not the original error, whose request holds the key
	(error as unknown as { code: string }).code = context.code;
	return error;
}

/** A 429 whose Retry-After is longer than the user allows: fail at once, saying how long Tracy asked for. */
export function retryAfterTooLongError(
	node: INode,
	askedMs: number,
	maxMs: number,
	itemIndex?: number,
): NodeOperationError {
	const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
	return new NodeOperationError(
		node,
		`Tracy is rate limiting this key and asked to wait ${seconds(askedMs)} (Retry-After)`,
		{
			description: `That is longer than Settings › Request Options › Max Retry Wait (${seconds(maxMs)}), so the node did not wait. Raise Max Retry Wait, or lower "Items per Batch" / raise "Batch Interval" under Settings › Request Options › Batching. Tracy did not process the refused request, so running the item again is safe.`,
			itemIndex,
		},
	);
}
