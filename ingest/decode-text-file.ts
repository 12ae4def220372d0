/**
 * The file's text when its bytes are UTF-8 text, else null: a NUL byte or an invalid UTF-8
 * sequence marks a binary file. Files without an extension (LICENSE, README, NOTES) are read
 * as plain text when this finds text.
 */
export function decodeTextFile(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
