import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AnswerKind } from './assumptions';
import { answerMismatch, ANSWERS } from './assumptions';

/**
 * The check of each answer against the contract (A13): a 2xx answer is a success only in the shape
 * its request's kind promises. The transport calls it on every 2xx answer, as it calls the base URL
 * rule; it sends nothing and knows nothing of retries.
 */

const README_WAY_AROUND =
	'Run "npm run test:live" against your workspace to see which assumptions hold; the README\'s "When Tracy answers differently" section shows the way around (for example n8n\'s HTTP Request node with the same Tracy API credential).';

/** The first ~200 characters of an answer, for an error: the body only (never a header), masked. */
function answerExcerpt(body: unknown, mask: (text: string) => string): string {
	let text: string;
	if (body === undefined || body === null || body === '') text = '(empty)';
	else if (typeof body === 'string') text = body;
	else {
		try {
			text = JSON.stringify(body) ?? String(body);
		} catch {
			text = String(body);
		}
	}
	text = mask(text);
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** What the check is told of the request and its answer. */
export interface CheckedAnswer {
	status: number;
	body: unknown;
	method: string;
	path: string;
	itemIndex?: number;
	/** Hides the API key in what the error shows of the answer. */
	mask: (text: string) => string;
}

/** A 2xx answer that does not have the shape the request's kind promises (A13): the error to throw, or undefined. */
export function checkAnswer(
	node: INode,
	kind: AnswerKind,
	answer: CheckedAnswer,
): NodeOperationError | undefined {
	const mismatch = answerMismatch(kind, answer.body);
	if (mismatch === undefined) return undefined;
	const { what, assumption } = ANSWERS[kind];
	const method = answer.method.toUpperCase();
	const isWrite = !['GET', 'HEAD'].includes(method);
	const request = `${method}${answer.path ? ` ${answer.path.split('?')[0]}` : ''}`;
	return new NodeOperationError(
		node,
		`Tracy's answer to ${request} is not what the node expects: ${mismatch}`,
		{
			description: [
				`Expected ${what} (assumption ${assumption} in the README).`,
				`Received (HTTP ${answer.status}): ${answerExcerpt(answer.body, answer.mask)}`,
				isWrite
					? `Tracy accepted the ${method} (HTTP ${answer.status}), so it has probably taken effect: check Tracy before running this item again.`
					: 'Nothing was output for this answer.',
				README_WAY_AROUND,
			].join('\n'),
			itemIndex: answer.itemIndex,
		},
	);
}
