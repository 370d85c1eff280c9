/**
 * Escaping for every output medium. Report text comes from scanned systems (file lines, package
 * names, command output), so it is attacker-controlled: nothing reaches a report unescaped.
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even as character
// references, so a strict parser rejects the whole document. We spell them out instead of
// dropping them so the reader still sees that the scanned data held such a byte.
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function spellOut(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Escapes text for HTML element content and quoted attribute values alike. Control characters
 * are spelled out too: HTML treats them as parse errors and browsers draw them as boxes.
 */
export function escapeHtml(text: string): string {
  return text.replace(XML_INVALID, spellOut).replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

/** Escapes text for XML element content. */
export function escapeXmlText(text: string): string {
  return text
    .replace(XML_INVALID, spellOut)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Escapes text for a double-quoted XML attribute. Tabs and line breaks become character
 * references because attribute-value normalisation would otherwise turn them into spaces.
 */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

// C0 controls, DEL and C1 controls: an ESC or CSI from a scanned file could recolour, move the
// cursor or retitle the user's terminal, and a newline would break the one-line-per-rule layout.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const TERMINAL_CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

const TERMINAL_NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Makes text safe to print on a terminal: control characters are shown as escapes. */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_CONTROL, (ch) => TERMINAL_NAMED[ch] ?? spellOut(ch));
}
