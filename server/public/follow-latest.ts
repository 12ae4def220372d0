// Keeps the newest turn in view while it streams, above the fixed question bar, until the
// reader scrolls up; scrolling back to the bottom (or the "Latest answer" button) resumes it.
const NEAR_BOTTOM = 48;

/** Keeps the page scrolled to the newest turn: `start()` when a question is asked, `update()` after the page grew. */
export interface Follower {
  start(): void;
  update(): void;
}

export function followLatest(jumpButton: HTMLButtonElement): Follower {
  let following = true;
  /** Where our own last scroll left the page: a scroll above it was the reader's. */
  let ourTop = window.scrollY;
  const atBottom = () => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - NEAR_BOTTOM;

  window.addEventListener(
    'scroll',
    () => {
      if (atBottom()) following = true;
      else if (window.scrollY < ourTop - 2) following = false;
      jumpButton.hidden = following;
    },
    { passive: true },
  );
  const follower: Follower = {
    /** Follows from now on (a new question was asked) and scrolls to the bottom. */
    start() {
      following = true;
      follower.update();
    },
    /** Call after the page grew: scrolls to the bottom while following. */
    update() {
      if (!following) {
        jumpButton.hidden = atBottom();
        return;
      }
      window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
      ourTop = window.scrollY;
      jumpButton.hidden = true;
    },
  };
  jumpButton.addEventListener('click', () => {
    follower.start();
    document.getElementById('question')?.focus({ preventScroll: true });
  });
  return follower;
}
