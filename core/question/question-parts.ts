/**
 * The separate questions in one: "Does X do Y? If not, where would I hook that in?" or
 * "Which version does it need, and can I use it on ES2015?". Each part asks for its own fact,
 * so each may need its own unit in the answer. One part for a simple question.
 */
export function questionParts(question: string): string[] {
  const sentences = question
    .split(/(?<=\?)\s+(?=\S)/)
    .map((part) => part.trim())
    .filter(Boolean);
  return sentences.flatMap((sentence) =>
    sentence
      .split(/,?\s+(?:and|or|but)\s+(?=(?:how|what|which|where|when|why|who|can|could|does|do|is|are|should|will|would)\b)/i)
      .map((part) => part.trim())
      .filter(Boolean),
  );
}
