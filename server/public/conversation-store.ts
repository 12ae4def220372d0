// Conversations kept in this browser (localStorage), so a reload or a later visit finds them.
import type { Answer, Citation, Passage } from '../../core/contracts/types.js';
import type { RequestErrorKind } from './api-client.js';

/** What the stream has brought of an answer before its `done` event. */
export interface PartialAnswer {
  text: string;
  citations: Citation[];
  passages: Passage[];
}

/** One question and what came of it: the Answer, or the part streamed so far, or an error, or a stop. */
export interface Turn {
  question: string;
  answer: Answer | null;
  partial: PartialAnswer | null;
  error: { kind: RequestErrorKind; message: string } | null;
  stopped: boolean;
}

export interface Conversation {
  id: string;
  title: string;
  updatedAt: number;
  /** The document collection it asks; null (or absent, in one kept from before collections): the server's default. */
  collection?: string | null;
  turns: Turn[];
}
const STORAGE_KEY = 'verbatim-conversations-v1';
const MAX_CONVERSATIONS = 50;
/** Passage texts are cut to what the page shows: the whole text is a click away in the source panel. */
const PASSAGE_CHARS = 400;

/** The conversations, newest first, kept in `storage` after every change. */
export class ConversationStore {
  conversations: Conversation[];
  currentId: string | null;

  constructor(private readonly storage: Storage = localStorage) {
    const saved = read(storage);
    this.conversations = saved.conversations;
    this.currentId = saved.currentId;
  }

  /** Newest first. */
  list(): Conversation[] {
    return [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  current(): Conversation | null {
    return this.conversations.find((conversation) => conversation.id === this.currentId) ?? null;
  }

  select(id: string): void {
    this.currentId = this.conversations.some((conversation) => conversation.id === id) ? id : null;
    this.save();
  }

  /** Starts no conversation yet: one is made when its first question is asked. */
  startNew(): void {
    this.currentId = null;
    this.save();
  }

  /** The current conversation, made (titled by its first question, asking `collection`) when there is none. */
  ensureCurrent(question: string, collection: string | null = null): Conversation {
    let conversation = this.current();
    if (!conversation) {
      conversation = { id: newId(), title: question.slice(0, 80), updatedAt: Date.now(), collection, turns: [] };
      this.conversations.push(conversation);
      this.currentId = conversation.id;
    }
    return conversation;
  }

  remove(id: string): void {
    this.conversations = this.conversations.filter((conversation) => conversation.id !== id);
    if (this.currentId === id) this.currentId = null;
    this.save();
  }

  /** Marks a conversation changed (titled by its first question, which an edit may have replaced) and saves. */
  touch(conversation: Conversation): void {
    conversation.updatedAt = Date.now();
    if (conversation.turns.length > 0) conversation.title = conversation.turns[0].question.slice(0, 80);
    this.save();
  }

  /** Writes everything; when the browser's quota is full, the oldest conversations go first. */
  save(): void {
    this.conversations = this.list().slice(0, MAX_CONVERSATIONS);
    for (;;) {
      try {
        this.storage.setItem(STORAGE_KEY, JSON.stringify({ currentId: this.currentId, conversations: this.conversations.map(compact) }));
        return;
      } catch {
        const oldest = this.conversations.at(-1);
        if (!oldest || oldest.id === this.currentId) return;
        this.conversations.pop();
      }
    }
  }
}

function read(storage: Storage): { conversations: Conversation[]; currentId: string | null } {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as { conversations?: unknown; currentId?: unknown } | null;
    if (saved && Array.isArray(saved.conversations)) {
      // Kept by this page, so of its shape; anything else (damaged, hand-edited) is dropped.
      const conversations = (saved.conversations as Partial<Conversation>[]).filter(
        (c): c is Conversation => Boolean(c) && typeof c.id === 'string' && Array.isArray(c.turns),
      );
      // A turn saved mid-stream (the page was closed or reloaded) ended there: it shows as stopped.
      for (const turn of conversations.flatMap((c) => c.turns)) if (!turn.answer && !turn.error) turn.stopped = true;
      return { conversations, currentId: typeof saved.currentId === 'string' ? saved.currentId : null };
    }
  } catch {
    // A damaged entry starts over rather than breaking the page.
  }
  return { conversations: [], currentId: null };
}

function compact(conversation: Conversation): Conversation {
  const passages = (list: Passage[]) => list.map((passage) => ({ ...passage, text: passage.text.slice(0, PASSAGE_CHARS) }));
  return {
    ...conversation,
    turns: conversation.turns.map((turn) => ({
      question: turn.question,
      answer: turn.answer && { ...turn.answer, passages: passages(turn.answer.passages) },
      error: turn.error ?? null,
      stopped: Boolean(turn.stopped),
      partial: turn.partial && { ...turn.partial, passages: passages(turn.partial.passages) },
    })),
  };
}

function newId(): string {
  return `c_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
