/**
 * Keeping secrets out of logs. Webhook URLs of Slack and friends are bearer credentials, so errors
 * name a channel by its masked URL and every message that leaves the dispatcher is scrubbed.
 */

export const MASK = '********';

/** Replaces every occurrence of each secret (and its URL-encoded form) with the mask. */
export function maskSecrets(text: string, secrets: readonly string[] | undefined): string {
  if (!secrets) return text;
  let out = text;
  // Longest first so a secret containing another is masked whole.
  const sorted = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of sorted) {
    out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(MASK);
  }
  return out;
}

/**
 * A URL safe to print: scheme, host and port only, plus whether a path or credentials were hidden.
 * Unparseable input is masked whole rather than echoed.
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  const hidden = url.pathname.length > 1 || url.search !== '' || url.username !== '' || url.password !== '';
  return `${url.protocol}//${url.host}${hidden ? `/${MASK}` : ''}`;
}

/** The parts of a URL that act as credentials: userinfo, password, path and query. */
export function urlSecrets(raw: string): string[] {
  try {
    const url = new URL(raw);
    const parts = [raw, url.password, decodeURIComponent(url.password), url.search.slice(1)];
    if (url.pathname.length > 1) parts.push(url.pathname);
    return parts.filter((p) => p.length > 0);
  } catch {
    return [raw];
  }
}
