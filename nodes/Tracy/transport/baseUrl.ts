import { DEFAULT_BASE_URL } from '../contract/assumptions';

export type BaseUrlCheck = { url: string; error?: undefined } | { url?: undefined; error: string };

/**
 * The one rule for the credential's API Base URL, used by the node (transport/request.ts) and by
 * the credential test (methods/credentialTest.ts). It refers to nothing outside itself and uses no
 * `URL`, so that it could also run inside an n8n expression (whose sandbox has none).
 *
 * Accepted: `https://host[:port][/path]`, or `http://` for a loopback host only, so the key never
 * travels in clear text over a network. Refused, with the reason: a query string, a fragment, a
 * user name or password (`http://127.0.0.1:80@evil.example`), anything unusual in the host.
 * Trailing slashes and a trailing `/v1` are removed (every path the node sends starts with `/v1`).
 */
export function checkBaseUrl(raw: unknown, fallback: string): BaseUrlCheck {
	const text = String(raw ?? '').trim() || fallback;
	const parts = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\\]*)([^?#]*)([?#].*)?$/i.exec(text);
	if (!parts)
		return { error: `"${text.slice(0, 100)}" is not a URL: it should look like ${fallback}` };
	const scheme = parts[1].toLowerCase();
	const authority = parts[2];
	if (scheme !== 'https' && scheme !== 'http')
		return { error: `must start with https://, not ${scheme}://` };
	if (parts[4]) {
		return {
			error: `must not have a ${parts[4][0] === '?' ? 'query string (?…)' : 'fragment (#…)'}: the node adds the path and query of each request itself`,
		};
	}
	if (authority.includes('@'))
		return {
			error:
				'must not contain a user name or password (…@): the key is the only credential Tracy needs',
		};
	const host = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.exec(authority);
	if (!host) return { error: `has an invalid host "${authority.slice(0, 100)}"` };
	const loopback = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i.test(host[1]);
	if (scheme === 'http' && !loopback) {
		return {
			error:
				'uses plain http:// for a host that is not this machine: the API key would travel unencrypted. Use https://, or http:// only for a loopback address (127.0.0.1, localhost)',
		};
	}
	if (/[\s\\]/.test(parts[3])) return { error: 'has spaces or backslashes in its path' };
	const path = parts[3].replace(/\/+$/, '').replace(/\/v1$/i, '').replace(/\/+$/, '');
	return { url: `${scheme}://${authority.toLowerCase()}${path}` };
}

/** The node's base URL as the user typed it; transport/request.ts checks it with {@link checkBaseUrl} before each request. */
export const nodeBaseUrl = `={{ String($credentials.baseUrl || "${DEFAULT_BASE_URL}") }}`;
