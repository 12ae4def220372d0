/** Web API error codes meaning the token itself is bad: wrong, revoked, expired or its workspace gone. */
const REJECTED_TOKEN_CODES = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'team_disabled',
  'user_removed_from_team',
  'not_allowed_token_type',
]);

/** The Slack error code of a failed Web API call (`invalid_auth`, …), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** True when Slack refused the token itself, so retrying cannot help until it is replaced. */
export function isTokenRejected(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && REJECTED_TOKEN_CODES.has(code);
}

/**
 * True for any `ok: false` answer but rate limiting: Slack refused the token or the app's
 * settings, which a retry cannot change. Network errors and Slack outages are not refusals.
 */
export function isRefusal(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && code !== 'ratelimited';
}

/** One line saying what went wrong with a Slack call, without a stack trace. */
export function describeSlackError(error: unknown): string {
  const code = slackErrorCode(error);
  if (code) return `Slack answered "${code}"`;
  return error instanceof Error ? error.message : String(error);
}
