/**
 * Normalises document text before anything else sees it: Unicode NFC, CRLF/CR to LF,
 * no trailing spaces or tabs at line ends, at most one blank line in a row, trimmed.
 * The result is the stored text that every offset points into.
 */
export function normalizeText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00A0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
