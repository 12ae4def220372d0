/**
 * The ids of the most recent `capacity` Slack events: Slack retries an event (X-Slack-Retry-Num,
 * or a Socket Mode retry_attempt) when its ack seemed late, with the same id, so each id is
 * answered once. The oldest id is forgotten past the capacity.
 */
export class SeenEvents {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 5000) {}

  /** Records the id; says whether this is its first delivery. */
  firstTime(eventId: string): boolean {
    if (this.ids.has(eventId)) return false;
    this.ids.add(eventId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
