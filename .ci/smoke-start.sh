#!/usr/bin/env bash
# Starts the server as `npm start` does (building the index when missing), asks one question
# over HTTP, checks the answer carries a verified citation, then stops it with SIGTERM and checks
# it shut down cleanly. The server runs in its own process group (setsid), which is signalled as
# a whole, as a terminal's Ctrl-C or a process supervisor does: npm alone does not pass SIGTERM on.
set -euo pipefail
port=${SMOKE_PORT:-3399}
log=$(mktemp)
PORT=$port INDEX_DIR=$(mktemp -d)/index setsid npm start >"$log" 2>&1 &
group=$!
trap 'kill -KILL -- -$group 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
# The page is read whole before grep: `curl | grep -q` fails under pipefail when grep stops reading early.
page=$(curl -fs "http://127.0.0.1:$port/" || true)
grep -q '<title>Verbatim' <<<"$page" || { echo "smoke: the chat page is not served"; cat "$log"; exit 1; }
answer=$(curl -fs -X POST "http://127.0.0.1:$port/v1/answer" -H 'Content-Type: application/json' \
  -d '{"question":"How many high-performance GPUs will South Korea have?"}')
node -e '
  const a = JSON.parse(process.argv[1]);
  if (!a.answerable || !a.citations.length || !a.citations.every((c) => c.verified) || !a.answer.includes("300,000")) {
    console.error("smoke: unexpected answer", JSON.stringify(a).slice(0, 500)); process.exit(1);
  }
  console.log(`smoke: npm start served the page and answered with ${a.citations.length} verified citation(s)`);
' "$answer"

kill -TERM -- -$group
for _ in $(seq 1 40); do
  pgrep -g $group >/dev/null || break
  sleep 0.25
done
if pgrep -g $group >/dev/null; then echo "smoke: the server did not stop within 10 s of SIGTERM"; cat "$log"; exit 1; fi
grep -q 'Verbatim stopped cleanly (SIGTERM)' "$log" || { echo "smoke: the server did not shut down cleanly on SIGTERM"; cat "$log"; exit 1; }
echo "smoke: SIGTERM stopped the server cleanly"
