// The chat page: wires the question bar, the conversation, the kept conversations and the
// source panel. ES modules, no framework (each served as JavaScript by the server, which strips
// the types: no build step); every text from the server is put in the page as text nodes
// (markdown-view.ts builds Markdown the same way).
import type { Answer, ConversationTurn } from '../../core/contracts/types.js';
import { fetchCollections, RequestError, saveApiKey, savedApiKey, streamAnswer, useCollection, type SourceSummary } from './api-client.js';
import { ConversationStore, type Conversation, type Turn } from './conversation-store.js';
import { byId } from './dom.js';
import { followLatest } from './follow-latest.js';
import { showIndexOverview } from './index-overview.js';
import { setUpLayout } from './page-layout.js';
import { copyText } from './markdown-view.js';
import { SourcePanel } from './source-panel.js';
import { placeLabel } from './source-place.js';
import { setupTheme } from './theme.js';
import { createTurnView, type TurnActions, type TurnView } from './turn-view.js';

/** Only the latest turns are sent: follow-ups need the recent context, and the server caps history. */
const HISTORY_SENT = 6;
/** The collection last picked, kept for the next visit. */
const PICKED_STORAGE = 'verbatim-collection';

const form = byId<HTMLFormElement>('ask-form');
const input = byId<HTMLTextAreaElement>('question');
const send = byId<HTMLButtonElement>('send');
const turnsBox = byId('turns');
const emptyState = byId('empty-state');
const announcer = byId('announcer');
const keyRow = byId('key-row');
const keyInput = byId<HTMLInputElement>('api-key');
const editingNote = byId('editing');
const picker = byId<HTMLSelectElement>('collection');
const pickerRow = byId('collection-row');

const store = new ConversationStore();
const sources = new Map<string, SourceSummary>();
const panel = new SourcePanel(byId<HTMLDialogElement>('source-panel'), (docId) => sources.get(docId));
const follower = followLatest(byId<HTMLButtonElement>('jump-latest'));
const layout = setUpLayout(panel);
let views: TurnView[] = [];
/** The answer being streamed, or null. */
let active: { turn: Turn; controller: AbortController } | null = null;
/** Index of the turn whose question is being edited, or null. */
let editing: number | null = null;
/** The collection the sources shown (overview, source panel) are from; the readable ones are known once `collectionsKnown`. */
let shownCollection: string | null | undefined;
let collectionsKnown = false;
/** The collection a request naming none reads (GET /v1/collections says which). */
let defaultCollection: string | null = null;

setupTheme(byId('theme-toggle'));

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    if (!active) form.requestSubmit();
  }
});
input.addEventListener('input', growInput);

// While an answer streams, the send button is a stop button.
send.addEventListener('click', (event) => {
  if (!active) return;
  event.preventDefault();
  active.controller.abort();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (active) return;
  const question = input.value.trim();
  if (!question) return;
  input.value = '';
  growInput();
  void ask(question);
});

byId('new-chat').addEventListener('click', () => {
  stopStreaming();
  store.startNew();
  endEditing();
  panel.close();
  showConversation();
  input.focus();
});
byId('cancel-edit').addEventListener('click', () => {
  endEditing();
  input.value = '';
  input.focus();
});
// A conversation asks one collection: picking another for a conversation under way starts a new chat.
picker.addEventListener('change', () => {
  localStorage.setItem(PICKED_STORAGE, picker.value);
  const conversation = store.current();
  if (conversation && conversation.turns.length > 0 && conversation.collection !== picker.value) {
    stopStreaming();
    store.startNew();
    endEditing();
    panel.close();
    showConversation();
  } else showCollection();
  input.focus();
});
byId('save-key').addEventListener('click', () => {
  saveApiKey(keyInput.value.trim());
  keyRow.hidden = true;
  // The key decides which collections can be read.
  void loadCollections();
  const conversation = store.current();
  const last = conversation?.turns.at(-1);
  if (conversation && last?.error?.kind === 'unauthorized') void rerun(conversation, last);
  else input.focus();
});
keyInput.value = savedApiKey();

/** Asks `question` in the current conversation (replacing the edited turn and those after it). */
async function ask(question: string): Promise<void> {
  const conversation = store.ensureCurrent(question, pickerRow.hidden ? null : picker.value || null);
  if (editing !== null) conversation.turns.splice(editing);
  endEditing();
  const turn = freshTurn(question);
  conversation.turns.push(turn);
  store.touch(conversation);
  showConversation();
  follower.start();
  await run(conversation, turn);
}

function freshTurn(question: string): Turn {
  return { question, answer: null, partial: { text: '', citations: [], passages: [] }, error: null, stopped: false };
}

/** Streams the answer to `turn`, updating its view as events arrive; the turn is kept however it ends. */
async function run(conversation: Conversation, turn: Turn): Promise<void> {
  const controller = new AbortController();
  active = { turn, controller };
  setStreaming(true);
  const history = historyBefore(conversation, conversation.turns.indexOf(turn));
  useCollection(conversation.collection ?? null);
  try {
    for await (const message of streamAnswer({ question: turn.question, history }, controller.signal)) {
      const partial = (turn.partial ??= { text: '', citations: [], passages: [] });
      if (message.event === 'passages') partial.passages = message.data.passages;
      else if (message.event === 'delta') partial.text += message.data.text;
      else if (message.event === 'citation') partial.citations.push(message.data.citation);
      else if (message.event === 'done') {
        turn.answer = message.data;
        turn.partial = null;
        announce(message.data);
      }
      renderTurn(turn);
    }
  } catch (error) {
    if (controller.signal.aborted) turn.stopped = true;
    else if (error instanceof RequestError) turn.error = { kind: error.kind, message: error.message };
    else turn.error = { kind: 'server', message: error instanceof Error ? error.message : String(error) };
    if (turn.error?.kind === 'unauthorized') showKeyRow();
  } finally {
    if (active?.turn === turn) active = null;
    if (!active) setStreaming(false);
    store.touch(conversation);
    if (store.current() === conversation) renderTurn(turn);
  }
}

/** Asks a turn's question again in place (retry, regenerate). */
function rerun(conversation: Conversation, turn: Turn): Promise<void> {
  Object.assign(turn, freshTurn(turn.question));
  renderTurn(turn);
  follower.start();
  return run(conversation, turn);
}

function historyBefore(conversation: Conversation, index: number): ConversationTurn[] {
  return conversation.turns
    .slice(0, index)
    .filter((turn): turn is Turn & { answer: Answer } => turn.answer !== null)
    .flatMap((turn): ConversationTurn[] => [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: turn.answer.answerable ? turn.answer.answer : (turn.answer.reason ?? '') },
    ])
    .filter((message) => message.content.trim() !== '')
    .slice(-HISTORY_SENT);
}

function stopStreaming(): void {
  active?.controller.abort();
  active = null;
  setStreaming(false);
}

function setStreaming(streaming: boolean): void {
  send.textContent = streaming ? 'Stop' : 'Ask';
  send.classList.toggle('stop', streaming);
  send.setAttribute('aria-label', streaming ? 'Stop the answer' : 'Ask');
}

/** Redraws the current conversation from the store. */
function showConversation(): void {
  const conversation = store.current();
  const turns = conversation?.turns ?? [];
  views = conversation ? turns.map((_turn, index) => createTurnView(turnActions(conversation, index))) : [];
  turnsBox.replaceChildren(...views.map((view) => view.element));
  turns.forEach(renderTurn);
  emptyState.hidden = turns.length > 0;
  renderChatList();
  showCollection();
}

/**
 * Shows the current conversation's collection in the picker (a new chat: the one picked), makes
 * every request read it, and lists its documents when it is not the one already shown.
 */
function showCollection(): void {
  if (!collectionsKnown) return;
  const current = store.current();
  const showing = current ? (current.collection ?? defaultCollection) : null;
  if (showing && [...picker.options].some((option) => option.value === showing)) picker.value = showing;
  const collection = current ? (current.collection ?? null) : pickerRow.hidden ? null : picker.value || null;
  useCollection(collection);
  if (collection === shownCollection) return;
  shownCollection = collection;
  void loadIndexOverview();
}

/** Fills the collection picker with what the key may read; shown only when that is more than one collection. */
async function loadCollections(): Promise<void> {
  const { default: fallback, collections } = await fetchCollections();
  defaultCollection = fallback;
  picker.replaceChildren(
    ...collections.map((collection) => {
      const option = document.createElement('option');
      option.value = collection.name;
      option.textContent =
        collection.status === 'ready'
          ? `${collection.name} · ${collection.documents} ${collection.documents === 1 ? 'document' : 'documents'}`
          : `${collection.name} (${collection.status})`;
      option.disabled = collection.status === 'unavailable';
      return option;
    }),
  );
  pickerRow.hidden = collections.length < 2;
  const saved = localStorage.getItem(PICKED_STORAGE);
  picker.value = collections.some((collection) => collection.name === saved) ? saved! : (fallback ?? collections[0]?.name ?? '');
  collectionsKnown = true;
  shownCollection = undefined;
  showCollection();
}

function renderTurn(turn: Turn): void {
  const conversation = store.current();
  const index = conversation?.turns.indexOf(turn) ?? -1;
  if (!conversation || index < 0 || !views[index]) return;
  views[index].render({ ...turn, streaming: active?.turn === turn, isLast: index === conversation.turns.length - 1 });
  follower.update();
}

function turnActions(conversation: Conversation, index: number): TurnActions {
  const turn = () => conversation.turns[index];
  return {
    open: (item, opener) => void panel.open(item, opener),
    copy: (button) => void copyAnswer(turn(), button),
    regenerate: () => !active && void rerun(conversation, turn()),
    retry: () => !active && void rerun(conversation, turn()),
    edit: () => {
      if (active) return;
      editing = index;
      editingNote.hidden = false;
      input.value = turn().question;
      growInput();
      input.focus();
    },
  };
}

function endEditing(): void {
  editing = null;
  editingNote.hidden = true;
}

function announce(answer: Answer): void {
  announcer.textContent = answer.answerable ? answer.answer.replace(/\s*\[\d+\]/g, '') : `Not in the sources. ${answer.reason ?? ''}`;
}

function showKeyRow(): void {
  keyRow.hidden = false;
  keyInput.focus();
}

/** Copies the answer with its citations as footnotes: "[1] path › heading: “quote”". */
async function copyAnswer(turn: Turn, button: HTMLButtonElement): Promise<void> {
  const answer = turn.answer;
  const text = answer ? answer.answer : (turn.partial?.text ?? '');
  const citations = answer ? answer.citations : (turn.partial?.citations ?? []);
  const notes = citations.map((citation) => `[${citation.n}] ${placeLabel(citation)}: “${citation.quote}”`);
  const copied = notes.length > 0 ? `${text}\n\n${notes.join('\n')}` : text;
  const done = await copyText(copied);
  button.textContent = done ? 'Copied' : 'Copy failed';
  setTimeout(() => (button.textContent = 'Copy'), 2000);
}

function renderChatList(): void {
  const list = store.list();
  byId('no-chats').hidden = list.length > 0;
  byId('chat-list').replaceChildren(
    ...list.map((conversation) => {
      const item = document.createElement('li');
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'chat-open';
      const title = document.createElement('span');
      title.className = 'chat-title';
      title.textContent = conversation.title;
      open.append(title);
      if (conversation.id === store.currentId) open.setAttribute('aria-current', 'true');
      open.addEventListener('click', () => {
        stopStreaming();
        endEditing();
        panel.close();
        store.select(conversation.id);
        layout.chosenConversation();
        showConversation();
        follower.start();
      });
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'chat-delete ghost small';
      // A mark, not a word: the title beside it keeps the row's width.
      remove.textContent = '✕';
      remove.title = 'Delete';
      remove.setAttribute('aria-label', `Delete the conversation “${conversation.title}”`);
      remove.addEventListener('click', () => {
        if (conversation.id === store.currentId) stopStreaming();
        store.remove(conversation.id);
        showConversation();
        input.focus();
      });
      item.append(open, remove);
      return item;
    }),
  );
}

/** The textarea grows with its text, up to a third of the screen. */
function growInput(): void {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, window.innerHeight / 3)}px`;
}

showConversation();
follower.start();
input.focus();
void loadCollections();

/** Fills the empty state from GET /v1/sources (again after an API key is saved) and keeps the list for the source panel. */
async function loadIndexOverview(): Promise<void> {
  const list = await showIndexOverview((question) => {
    if (active) return;
    input.value = '';
    void ask(question);
  });
  sources.clear();
  for (const source of list) sources.set(source.docId, source);
}
