// Conversations kept in this browser (localStorage), so a reload or a later visit finds them.
const STORAGE_KEY = 'verbatim-conversations-v1';
const MAX_CONVERSATIONS = 50;
/** Passage texts are cut to what the page shows: the whole text is a click away in the source panel. */
const PASSAGE_CHARS = 400;

/**
 * A conversation: {id, title, updatedAt, collection, turns: [{question, answer, error, stopped}]},
 * where `collection` is the document collection it asks (null: the server's default), `answer`
 * is the Answer object from the API (or null) and `error` {kind, message}.
 */
export class ConversationStore {
  constructor(storage = localStorage) {
    this.storage = storage;
    const saved = read(storage);
    this.conversations = saved.conversations;
    this.currentId = saved.currentId;
  }

  /** Newest first. */
  list() {
    return [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  current() {
    return this.conversations.find((conversation) => conversation.id === this.currentId) ?? null;
  }

  select(id) {
    this.currentId = this.conversations.some((conversation) => conversation.id === id) ? id : null;
    this.save();
  }

  /** Starts no conversation yet: one is made when its first question is asked. */
  startNew() {
    this.currentId = null;
    this.save();
  }

  /** The current conversation, made (titled by its first question, asking `collection`) when there is none. */
  ensureCurrent(question, collection = null) {
    let conversation = this.current();
    if (!conversation) {
      conversation = { id: newId(), title: question.slice(0, 80), updatedAt: Date.now(), collection, turns: [] };
      this.conversations.push(conversation);
      this.currentId = conversation.id;
    }
    return conversation;
  }

  remove(id) {
    this.conversations = this.conversations.filter((conversation) => conversation.id !== id);
    if (this.currentId === id) this.currentId = null;
    this.save();
  }

  /** Marks a conversation changed (titled by its first question, which an edit may have replaced) and saves. */
  touch(conversation) {
    conversation.updatedAt = Date.now();
    if (conversation.turns.length > 0) conversation.title = conversation.turns[0].question.slice(0, 80);
    this.save();
  }

  /** Writes everything; when the browser's quota is full, the oldest conversations go first. */
  save() {
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

function read(storage) {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
    if (saved && Array.isArray(saved.conversations)) {
      const conversations = saved.conversations.filter((c) => c && typeof c.id === 'string' && Array.isArray(c.turns));
      // A turn saved mid-stream (the page was closed or reloaded) ended there: it shows as stopped.
      for (const turn of conversations.flatMap((c) => c.turns)) if (!turn.answer && !turn.error) turn.stopped = true;
      return { conversations, currentId: typeof saved.currentId === 'string' ? saved.currentId : null };
    }
  } catch {
    // A damaged entry starts over rather than breaking the page.
  }
  return { conversations: [], currentId: null };
}

function compact(conversation) {
  const passages = (list) => list.map((passage) => ({ ...passage, text: passage.text.slice(0, PASSAGE_CHARS) }));
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

function newId() {
  return `c_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
