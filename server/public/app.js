// The chat page: wires the question bar, the conversation, the kept conversations and the
// source panel. Plain ES modules, no framework and no build step; every text from the server
// is put in the page as text nodes (markdown-view.js builds Markdown the same way).
import { fetchCollections, saveApiKey, savedApiKey, streamAnswer, useCollection } from './api-client.js';
import { ConversationStore } from './conversation-store.js';
import { followLatest } from './follow-latest.js';
import { showIndexOverview } from './index-overview.js';
import { SourcePanel } from './source-panel.js';
import { placeLabel } from './source-place.js';
import { setupTheme } from './theme.js';
import { createTurnView } from './turn-view.js';

/** Only the latest turns are sent: follow-ups need the recent context, and the server caps history. */
const HISTORY_SENT = 6;
/** The collection last picked, kept for the next visit. */
const PICKED_STORAGE = 'verbatim-collection';

const form = document.getElementById('ask-form');
const input = document.getElementById('question');
const send = document.getElementById('send');
const turnsBox = document.getElementById('turns');
const emptyState = document.getElementById('empty-state');
const announcer = document.getElementById('announcer');
const keyRow = document.getElementById('key-row');
const keyInput = document.getElementById('api-key');
const editingNote = document.getElementById('editing');
const chats = document.getElementById('chats');
const chatsToggle = document.getElementById('toggle-chats');
const picker = document.getElementById('collection');
const pickerRow = document.getElementById('collection-row');
/** The conversation list is a column on a wide screen, a drawer opened by *Chats* on a narrower one. */
const narrowScreen = window.matchMedia('(max-width: 1000px)');

const store = new ConversationStore();
const sources = new Map();
const panel = new SourcePanel(document.getElementById('source-panel'), (docId) => sources.get(docId));
const follower = followLatest(document.getElementById('jump-latest'));
let views = [];
/** The answer being streamed: {turn, controller}, or null. */
let active = null;
/** Index of the turn whose question is being edited, or null. */
let editing = null;
/** The collection the sources shown (overview, source panel) are from; the collections readable are known once `collectionsKnown`. */
let shownCollection;
let collectionsKnown = false;
/** The collection a request naming none reads (GET /v1/collections says which). */
let defaultCollection = null;

setupTheme(document.getElementById('theme-toggle'));
keepBarHeight();
setUpChatList();

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

document.getElementById('new-chat').addEventListener('click', () => {
  stopStreaming();
  store.startNew();
  endEditing();
  panel.close();
  showConversation();
  input.focus();
});
document.getElementById('cancel-edit').addEventListener('click', () => {
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
document.getElementById('save-key').addEventListener('click', () => {
  saveApiKey(keyInput.value.trim());
  keyRow.hidden = true;
  // The key decides which collections can be read.
  void loadCollections();
  const conversation = store.current();
  const last = conversation?.turns.at(-1);
  if (last?.error?.kind === 'unauthorized') void rerun(conversation, last);
  else input.focus();
});
keyInput.value = savedApiKey();

/** Asks `question` in the current conversation (replacing the edited turn and those after it). */
async function ask(question) {
  const conversation = store.ensureCurrent(question, pickerRow.hidden ? null : picker.value || null);
  if (editing !== null) conversation.turns.splice(editing);
  endEditing();
  conversation.turns.push(freshTurn(question));
  store.touch(conversation);
  showConversation();
  follower.start();
  await run(conversation, conversation.turns.at(-1));
}

function freshTurn(question) {
  return { question, answer: null, partial: { text: '', citations: [], passages: [] }, error: null, stopped: false };
}

/** Streams the answer to `turn`, updating its view as events arrive; the turn is kept however it ends. */
async function run(conversation, turn) {
  const controller = new AbortController();
  active = { turn, controller };
  setStreaming(true);
  const history = historyBefore(conversation, conversation.turns.indexOf(turn));
  useCollection(conversation.collection ?? null);
  try {
    for await (const { event, data } of streamAnswer({ question: turn.question, history }, controller.signal)) {
      if (event === 'passages') turn.partial.passages = data.passages;
      else if (event === 'delta') turn.partial.text += data.text;
      else if (event === 'citation') turn.partial.citations.push(data.citation);
      else if (event === 'done') {
        turn.answer = data;
        turn.partial = null;
        announce(data);
      }
      renderTurn(turn);
    }
  } catch (error) {
    if (controller.signal.aborted) turn.stopped = true;
    else turn.error = { kind: error.kind ?? 'server', message: error.message ?? String(error) };
    if (turn.error?.kind === 'unauthorized') showKeyRow();
  } finally {
    if (active?.turn === turn) active = null;
    if (!active) setStreaming(false);
    store.touch(conversation);
    if (store.current() === conversation) renderTurn(turn);
  }
}

/** Asks a turn's question again in place (retry, regenerate). */
function rerun(conversation, turn) {
  Object.assign(turn, freshTurn(turn.question));
  renderTurn(turn);
  follower.start();
  return run(conversation, turn);
}

function historyBefore(conversation, index) {
  return conversation.turns
    .slice(0, index)
    .filter((turn) => turn.answer)
    .flatMap((turn) => [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: turn.answer.answerable ? turn.answer.answer : (turn.answer.reason ?? '') },
    ])
    .filter((message) => message.content.trim() !== '')
    .slice(-HISTORY_SENT);
}

function stopStreaming() {
  active?.controller.abort();
  active = null;
  setStreaming(false);
}

function setStreaming(streaming) {
  send.textContent = streaming ? 'Stop' : 'Ask';
  send.classList.toggle('stop', streaming);
  send.setAttribute('aria-label', streaming ? 'Stop the answer' : 'Ask');
}

/** Redraws the current conversation from the store. */
function showConversation() {
  const conversation = store.current();
  const turns = conversation?.turns ?? [];
  views = turns.map((turn, index) => createTurnView(turnActions(conversation, index)));
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
function showCollection() {
  if (!collectionsKnown) return;
  const asked = store.current()?.collection;
  const showing = store.current() ? (asked ?? defaultCollection) : null;
  if (showing && [...picker.options].some((option) => option.value === showing)) picker.value = showing;
  const collection = store.current() ? (asked ?? null) : pickerRow.hidden ? null : picker.value || null;
  useCollection(collection);
  if (collection === shownCollection) return;
  shownCollection = collection;
  void loadIndexOverview();
}

/** Fills the collection picker with what the key may read; shown only when that is more than one collection. */
async function loadCollections() {
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
  picker.value = collections.some((collection) => collection.name === saved) ? saved : (fallback ?? collections[0]?.name ?? '');
  collectionsKnown = true;
  shownCollection = undefined;
  showCollection();
}

function renderTurn(turn) {
  const conversation = store.current();
  const index = conversation?.turns.indexOf(turn) ?? -1;
  if (index < 0 || !views[index]) return;
  views[index].render({ ...turn, streaming: active?.turn === turn, isLast: index === conversation.turns.length - 1 });
  follower.update();
}

function turnActions(conversation, index) {
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

function endEditing() {
  editing = null;
  editingNote.hidden = true;
}

function announce(answer) {
  announcer.textContent = answer.answerable ? answer.answer.replace(/\s*\[\d+\]/g, '') : `Not in the sources. ${answer.reason ?? ''}`;
}

function showKeyRow() {
  keyRow.hidden = false;
  keyInput.focus();
}

/** Copies the answer with its citations as footnotes: "[1] path › heading: “quote”". */
async function copyAnswer(turn, button) {
  const answer = turn.answer;
  const text = answer ? answer.answer : (turn.partial?.text ?? '');
  const citations = answer ? answer.citations : (turn.partial?.citations ?? []);
  const notes = citations.map((citation) => `[${citation.n}] ${placeLabel(citation)}: “${citation.quote}”`);
  const copied = notes.length > 0 ? `${text}\n\n${notes.join('\n')}` : text;
  let done = false;
  try {
    await navigator.clipboard.writeText(copied);
    done = true;
  } catch {
    done = copyWithSelection(copied);
  }
  button.textContent = done ? 'Copied' : 'Copy failed';
  setTimeout(() => (button.textContent = 'Copy'), 2000);
}

/** The fallback where the Clipboard API is refused (an http page on another host). */
function copyWithSelection(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  return copied;
}

function showChatList(open) {
  chats.classList.toggle('is-open', open);
  chatsToggle.setAttribute('aria-expanded', String(open));
}

function setUpChatList() {
  showChatList(!narrowScreen.matches);
  narrowScreen.addEventListener('change', () => showChatList(!narrowScreen.matches));
  chatsToggle.addEventListener('click', () => showChatList(!chats.classList.contains('is-open')));
}

function renderChatList() {
  const list = store.list();
  document.getElementById('no-chats').hidden = list.length > 0;
  document.getElementById('chat-list').replaceChildren(
    ...list.map((conversation) => {
      const item = document.createElement('li');
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'chat-open';
      open.textContent = conversation.title;
      if (conversation.id === store.currentId) open.setAttribute('aria-current', 'true');
      open.addEventListener('click', () => {
        stopStreaming();
        endEditing();
        panel.close();
        store.select(conversation.id);
        if (narrowScreen.matches) showChatList(false);
        showConversation();
        follower.start();
      });
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'chat-delete ghost small';
      remove.textContent = 'Delete';
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
function growInput() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, window.innerHeight / 3)}px`;
}

/** The conversation's bottom padding follows the question bar's height, so nothing hides under it. */
function keepBarHeight() {
  const set = () => document.documentElement.style.setProperty('--ask-height', `${form.offsetHeight}px`);
  new ResizeObserver(set).observe(form);
  set();
}

showConversation();
follower.start();
input.focus();
void loadCollections();

/** Fills the empty state from GET /v1/sources (again after an API key is saved) and keeps the list for the source panel. */
async function loadIndexOverview() {
  const list = await showIndexOverview((question) => {
    if (active) return;
    input.value = '';
    void ask(question);
  });
  sources.clear();
  for (const source of list) sources.set(source.docId, source);
}
