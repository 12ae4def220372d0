// The page's columns: the conversation list, the conversation and the source panel. The
// conversation keeps its width first: the list is a column a reader can fold away on a wide
// screen (kept folded across visits) and a drawer on a narrower one, and when the source panel
// opens beside a conversation it would squeeze below a readable width, the list folds to make
// room, and unfolds when the panel closes.
import { byId } from './dom.js';

/** The narrowest the conversation gets beside the open source panel, in CSS pixels. */
const CONVERSATION_MIN_PX = 600;
const STORAGE_KEY = 'verbatim-chats-folded';

export interface PageLayout {
  /** A conversation was picked from the list: a drawer closes, a column stays. */
  chosenConversation(): void;
}

/** Wires the list toggle and the panel's room; `panel.onToggle` is taken over. */
export function setUpLayout(panel: { onToggle: (open: boolean) => void; readonly isOpen: boolean }): PageLayout {
  const chats = byId('chats');
  const toggle = byId('toggle-chats');
  const conversation = byId('conversation');
  const narrow = window.matchMedia('(max-width: 1000px)');
  /** Folded by the panel (not by the reader): unfolded again when the panel closes. */
  let foldedForPanel = false;

  const show = (open: boolean) => {
    chats.classList.toggle('is-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  const wideDefault = () => localStorage.getItem(STORAGE_KEY) !== 'true';
  const makeRoom = () => {
    if (narrow.matches || !panel.isOpen || !chats.classList.contains('is-open')) return;
    if (conversation.getBoundingClientRect().width >= CONVERSATION_MIN_PX) return;
    foldedForPanel = true;
    show(false);
  };

  show(!narrow.matches && wideDefault());
  narrow.addEventListener('change', () => {
    foldedForPanel = false;
    show(!narrow.matches && wideDefault());
  });
  toggle.addEventListener('click', () => {
    const open = !chats.classList.contains('is-open');
    foldedForPanel = false;
    if (!narrow.matches) localStorage.setItem(STORAGE_KEY, String(!open));
    show(open);
  });
  panel.onToggle = (open) => {
    if (open) makeRoom();
    else if (foldedForPanel) {
      foldedForPanel = false;
      show(!narrow.matches);
    }
  };
  window.addEventListener('resize', makeRoom, { passive: true });
  keepHeaderHeight();

  return {
    chosenConversation() {
      if (narrow.matches) show(false);
    },
  };
}

/** The sticky header's height, for what sticks below it (the list, the panel). */
function keepHeaderHeight(): void {
  const header = document.querySelector<HTMLElement>('.top');
  if (!header) return;
  const set = () => document.documentElement.style.setProperty('--top-height', `${header.offsetHeight}px`);
  new ResizeObserver(set).observe(header);
  set();
}
