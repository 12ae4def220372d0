// The chat page. Every text from the server is put in the page with textContent or text
// nodes, never as HTML, so no source or answer can inject markup.
const form = document.getElementById('ask-form');
const input = document.getElementById('question');
const send = document.getElementById('send');
const conversation = document.getElementById('conversation');
const emptyState = document.getElementById('empty-state');
const template = document.getElementById('turn-template');
const sourcePanel = document.getElementById('source-panel');
const sourceTitle = document.getElementById('source-title');
const sourceText = document.getElementById('source-text');
const keyRow = document.getElementById('key-row');
const keyInput = document.getElementById('api-key');

/** Earlier turns, sent as `history` so follow-up questions are understood. */
let history = [];
/** Only the latest turns are sent: follow-ups need the recent context, and the server caps history. */
const HISTORY_SENT = 6;
const sourceCache = new Map();
let controller = null;

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question || controller) return;
  input.value = '';
  void ask(question);
});

document.getElementById('new-chat').addEventListener('click', () => {
  controller?.abort();
  history = [];
  for (const turn of conversation.querySelectorAll('.turn')) turn.remove();
  emptyState.hidden = false;
  closeSource();
  input.focus();
});

document.getElementById('close-source').addEventListener('click', closeSource);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !sourcePanel.hidden) closeSource();
});
document.getElementById('save-key').addEventListener('click', () => {
  localStorage.setItem('verbatim-api-key', keyInput.value.trim());
  keyRow.hidden = true;
});

function closeSource() {
  sourcePanel.hidden = true;
}

async function ask(question) {
  emptyState.hidden = true;
  const turn = template.content.firstElementChild.cloneNode(true);
  turn.querySelector('.question').textContent = question;
  conversation.append(turn);
  turn.scrollIntoView({ block: 'end' });
  const view = turnView(turn);
  controller = new AbortController();
  send.disabled = true;
  let streamed = '';
  try {
    const headers = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
    const key = localStorage.getItem('verbatim-api-key');
    if (key) headers.Authorization = `Bearer ${key}`;
    const response = await fetch('/v1/answer', {
      method: 'POST',
      headers,
      body: JSON.stringify({ question, history: history.slice(-HISTORY_SENT) }),
      signal: controller.signal,
    });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      if (response.status === 401) keyRow.hidden = false;
      throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
    }
    for await (const { event, data } of readEvents(response.body)) {
      if (event === 'passages') view.showPassages(data.passages, false);
      else if (event === 'delta') view.showText((streamed += data.text), []);
      else if (event === 'done') {
        view.showAnswer(data);
        history.push({ role: 'user', content: question }, { role: 'assistant', content: data.answer });
      } else if (event === 'error') throw new Error(data.error?.message ?? 'The answer failed.');
    }
  } catch (error) {
    if (error.name !== 'AbortError') view.showError(error.message);
  } finally {
    controller = null;
    send.disabled = false;
    input.focus();
  }
}

/** The parts of one turn, and how to fill them. */
function turnView(turn) {
  const text = turn.querySelector('.answer-text');
  const refusal = turn.querySelector('.refusal');
  const notice = turn.querySelector('.notice');
  const errorLine = turn.querySelector('.error');
  const passages = turn.querySelector('.passages');
  return {
    showText(answerText, citations) {
      text.replaceChildren(...withMarkers(answerText, citations));
    },
    showPassages(list, closest) {
      passages.hidden = list.length === 0;
      passages.querySelector('summary').textContent = closest ? `Closest passages (${list.length})` : `Passages searched (${list.length})`;
      passages.querySelector('.passage-list').replaceChildren(...list.map(passageItem));
      if (closest) passages.open = true;
    },
    showAnswer(answer) {
      if (answer.answerable) {
        this.showText(answer.answer, answer.citations);
      } else {
        text.replaceChildren();
        text.hidden = true;
        refusal.hidden = false;
        refusal.querySelector('.refusal-reason').textContent = answer.reason ?? '';
      }
      this.showPassages(answer.passages, !answer.answerable);
      if (answer.notice) {
        notice.hidden = false;
        notice.textContent = answer.notice;
      }
    },
    showError(message) {
      if (text.querySelector('.typing')) text.replaceChildren();
      errorLine.hidden = false;
      errorLine.textContent = message;
    },
  };
}

/** Answer text as nodes, each [n] marker a button that opens its cited span. */
function withMarkers(answerText, citations) {
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));
  const nodes = [];
  let last = 0;
  for (const match of answerText.matchAll(/\[(\d+)\]/g)) {
    nodes.push(document.createTextNode(answerText.slice(last, match.index)));
    const citation = byNumber.get(Number(match[1]));
    if (citation) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'marker';
      button.textContent = `[${citation.n}]`;
      button.title = `${citation.title}: “${citation.quote.slice(0, 120)}${citation.quote.length > 120 ? '…' : ''}”`;
      button.dataset.n = String(citation.n);
      button.addEventListener('click', () => void openSource(citation.docId, citation.start, citation.end, citation.title));
      nodes.push(button);
    } else {
      nodes.push(document.createTextNode(match[0]));
    }
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(answerText.slice(last)));
  return nodes;
}

function passageItem(passage) {
  const item = document.createElement('li');
  const title = document.createElement('button');
  title.type = 'button';
  title.className = 'secondary passage-title';
  title.textContent = passage.title;
  title.addEventListener('click', () => void openSource(passage.docId, passage.start, passage.end, passage.title));
  const snippet = document.createElement('div');
  snippet.className = 'passage-snippet';
  snippet.textContent = passage.text.length > 300 ? `${passage.text.slice(0, 300)}…` : passage.text;
  item.append(title, snippet);
  return item;
}

/** Shows a stored document with [start, end) highlighted and scrolled into view. */
async function openSource(docId, start, end, title) {
  sourcePanel.hidden = false;
  sourceTitle.textContent = title;
  try {
    if (!sourceCache.has(docId)) {
      const headers = {};
      const key = localStorage.getItem('verbatim-api-key');
      if (key) headers.Authorization = `Bearer ${key}`;
      const response = await fetch(`/v1/sources/${docId.split('/').map(encodeURIComponent).join('/')}`, { headers });
      const body = await response.json();
      if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
      sourceCache.set(docId, body);
    }
    const { text } = sourceCache.get(docId);
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    sourceText.replaceChildren(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(text.slice(end)));
    // Scroll the panel only, not the page, so the conversation stays where the reader left it.
    sourceText.scrollTop = Math.max(0, mark.offsetTop - sourceText.clientHeight / 3);
  } catch (error) {
    sourceText.textContent = `Could not load the source: ${error.message}`;
  }
}

/** Parses a Server-Sent Events body into {event, data} objects. */
async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      if (data) yield { event, data: JSON.parse(data) };
    }
  }
}

input.focus();
