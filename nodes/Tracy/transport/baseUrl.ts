import { DEFAULT_BASE_URL } from './assumptions';

/** Hosts a key may reach over plain http: this machine only (the emulator, a local proxy). */
export const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * The credential's base URL without trailing slashes. The credential test runs outside the node's
 * hooks, so there a plain-http URL for another host is upgraded to https rather than sending
 * the key in clear text; the node itself refuses such a URL with a message.
 */
export const credentialTestBaseUrl = `={{ String($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "").replace(/^http:\\/\\/(?!(localhost|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[::1\\])(:|\\/|$))/i, "https://") }}`;

export const nodeBaseUrl = `={{ String($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "") }}`;
