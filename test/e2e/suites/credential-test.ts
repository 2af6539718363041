/**
 * The credential test as the editor's "Test" button runs it: n8n's REST API, the n8n server's
 * CredentialsTester, the node's testedBy method, and the emulator.
 */
import type { E2eContext } from '../scenario';
import { scenario, selected } from '../scenario';
import { N8nServer } from '../server';

const NAME =
	'Credential test in a running n8n: a read key and a create-only key pass, a revoked key fails';

interface TestResult {
	status: string;
	message: string;
}

export async function credentialTestSuite({ folder, emulator, credentials }: E2eContext) {
	if (!selected(NAME)) return;
	const server = await N8nServer.start(folder);
	try {
		await scenario(
			NAME,
			emulator,
			async () => {
				const test = async (ref: { id: string; name: string }, apiKey: string) =>
					await server.rest<TestResult>('POST', 'credentials/test', {
						credentials: {
							id: ref.id,
							name: ref.name,
							type: 'tracyApi',
							data: { apiKey, baseUrl: emulator.url },
						},
					});
				return {
					sales: await test(credentials.sales, emulator.keyFor('sales')),
					webform: await test(credentials.webform, emulator.keyFor('webform')),
					wrong: await test(credentials.wrong, 'revoked-key'),
				};
			},
			(c, { sales, webform, wrong, requests }) => {
				c.equal(sales.status, 'OK', 'the sales key passes');
				c.that(
					/may read datasets/.test(sales.message),
					`the sales key may read datasets: ${sales.message}`,
				);
				c.equal(webform.status, 'OK', 'the create-only web-form key passes');
				c.that(
					/may only create/.test(webform.message),
					`the web-form key is said to be create-only: ${webform.message}`,
				);
				c.equal(wrong.status, 'Error', 'the revoked key fails');
				c.that(
					/refused the API key/.test(wrong.message),
					`the revoked key is said to be refused: ${wrong.message}`,
				);
				c.equal(
					requests.map((r) => `${r.method} ${r.path} ${r.status}`),
					['GET /v1/datasets 200', 'GET /v1/datasets 403', 'GET /v1/datasets 401'],
					'one dataset-list request per test',
				);
			},
		);
	} finally {
		await server.stop();
	}
}
