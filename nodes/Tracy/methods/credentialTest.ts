import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { CREDENTIAL_TEST_PATH, DEFAULT_BASE_URL, PATHS } from '../contract/assumptions';
import { checkBaseUrl } from '../transport/baseUrl';
import { DEFAULT_TIMEOUT_MS, EMPTY_KEY_DESCRIPTION, emptyKeyMessage } from '../transport/request';

/** What the test tells the user, by what Tracy answered. */
export const CREDENTIAL_TEST_MESSAGES = {
	reads: 'Connection successful: Tracy accepted the key, and it may read datasets.',
	createOnly:
		'Connection successful: Tracy accepted the key. It may not read datasets, so it may only create (for example a web-form lead key): Create operations work; pick the dataset, state and properties "By ID".',
	refused:
		"Tracy refused the API key: it is wrong, incomplete or revoked. Copy it again from Tracy support's message.",
	notTracy:
		'The API Base URL answers, but not as the Tracy API. Check the API Base URL: it should be the host only, without /v1.',
} as const;

interface Answer {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function isJson(answer: Answer): boolean {
	const type = String(answer.headers['content-type'] ?? '');
	return /json/i.test(type) || (typeof answer.body === 'object' && answer.body !== null);
}

/** A list answer (A5), so the host is Tracy and not some other server answering 200. */
function isDatasetList(body: unknown): boolean {
	return (
		Array.isArray(body) ||
		(typeof body === 'object' &&
			body !== null &&
			Object.values(body as IDataObject).some(Array.isArray))
	);
}

/**
 * The Tracy API credential's test: success for any key Tracy accepts, saying what it may do.
 * A key that may read datasets gets 200 on `GET /v1/datasets`; a create-only key gets 403 (A11),
 * which is still a working key. Only a refused key (401) or a host that is not Tracy fails.
 */
export async function tracyApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const credentials = credential.data ?? {};
	// the node's own base URL rule: nothing is sent to a URL the node would refuse
	const base = checkBaseUrl(credentials.baseUrl, DEFAULT_BASE_URL);
	if (base.error !== undefined)
		return { status: 'Error', message: `The API Base URL ${base.error}. Nothing was sent.` };
	if (typeof credentials.apiKey !== 'string' || !credentials.apiKey.trim()) {
		return {
			status: 'Error',
			message: `${emptyKeyMessage(credential.name)}. ${EMPTY_KEY_DESCRIPTION}`,
		};
	}
	let answer: Answer;
	try {
		answer = await askForDatasets(this, base.url, credentials.apiKey);
	} catch (error) {
		const cause = error as { code?: string; cause?: { code?: string }; message?: string };
		return {
			status: 'Error',
			message:
				cause.code ?? cause.cause?.code ?? cause.message ?? 'The API Base URL cannot be reached',
		};
	}
	return verdict(answer);
}

/**
 * `GET /v1/datasets` with the key, its answer taken whatever the status and never followed to
 * another address, so that a redirect is told rather than hidden.
 */
async function askForDatasets(
	ctx: ICredentialTestFunctions,
	baseUrl: string,
	apiKey: string,
): Promise<Answer> {
	// the credential-test context offers only this request helper (no httpRequest, no authentication helper)
	const { request } = ctx.helpers;
	return (await request({
		method: 'GET',
		uri: `${baseUrl}${CREDENTIAL_TEST_PATH}`,
		headers: { 'X-Api-Key': apiKey, Accept: 'application/json' },
		json: true,
		simple: false,
		resolveWithFullResponse: true,
		followRedirect: false,
		followAllRedirects: false,
		timeout: DEFAULT_TIMEOUT_MS,
	})) as Answer;
}

/** What Tracy's answer says of the key: it reads, it may only create, it is refused, or the host is not Tracy. */
function verdict(answer: Answer): INodeCredentialTestResult {
	const status = answer.statusCode;
	if (status >= 200 && status < 300) {
		return isDatasetList(answer.body)
			? { status: 'OK', message: CREDENTIAL_TEST_MESSAGES.reads }
			: {
					status: 'Error',
					message: `${CREDENTIAL_TEST_MESSAGES.notTracy} (GET ${PATHS.datasets} did not answer a list)`,
				};
	}
	if (status === 401) return { status: 'Error', message: CREDENTIAL_TEST_MESSAGES.refused };
	// Tracy answers a refused permission in JSON; a web page saying 403 is some other server
	if (status === 403 && isJson(answer))
		return { status: 'OK', message: CREDENTIAL_TEST_MESSAGES.createOnly };
	if (status >= 300 && status < 400) {
		return {
			status: 'Error',
			message: `The API Base URL redirects (${status}${answer.headers.location ? ` to ${String(answer.headers.location)}` : ''}). Set the API Base URL to the final address.`,
		};
	}
	if (status >= 500)
		return {
			status: 'Error',
			message: `Tracy answered ${status}, an error on its side: try again later.`,
		};
	return {
		status: 'Error',
		message: `${CREDENTIAL_TEST_MESSAGES.notTracy} (${status} for GET ${PATHS.datasets})`,
	};
}
