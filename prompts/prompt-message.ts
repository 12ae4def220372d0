/**
 * A rendered message, shaped like core's ChatMessage. Prompts declare the shapes they render
 * instead of importing core's types, so dependencies run one way: core → prompts.
 */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
