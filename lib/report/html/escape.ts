// A saved report's strings are data from elsewhere (type names, values, paths the program
// chose): every one that reaches the page goes through these, so that none can become markup
// or end the script element that carries the data.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a <script type="application/json"> element: "<", ">" and "&" as \\u escapes (still
 * the same JSON), so that no "</script" or "<!--" can appear in it, whatever the strings hold.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
