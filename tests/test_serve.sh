#!/bin/sh
# test_serve.sh - `cybersearch serve` over loopback with a real HTTP client
# (curl): the JSON API against its schema and the CLI's --json, bad input,
# path traversal, escaping, and searches during a full reindex.
. "$(dirname "$0")/testlib.sh"
. "$top_srcdir/tests/servelib.sh"
JG="python3 $top_srcdir/tests/json_get.py"
SCHEMA="$top_srcdir/docs/api.schema.json"
start_server
case $URL in
http://127.0.0.1:[0-9]*/) ok "listens on loopback by default: $URL" ;;
*) fail "listens on loopback by default" "got '$URL'; stderr: $(cat "$TMP/server.err")"; finish; exit 1 ;;
esac

# get NAME PATH WANT_STATUS: fetch PATH into $TMP/body (headers in $TMP/head).
get() {
    code=$(curl -s --path-as-is -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$URL${2#/}")
    if [ "$code" = "$3" ]; then ok "$1 ($3)"; else fail "$1" "HTTP $code, want $3: $(head -c 300 "$TMP/body")"; fi
}
# valid NAME: $TMP/body is valid against the JSON Schema in the tree.
valid() {
    if msg=$($JG --validate "$SCHEMA" "$TMP/body"); then ok "$1 matches docs/api.schema.json"; else fail "$1 matches the schema" "$msg"; fi
}
# valid_lines NAME FILE: FILE (JSON Lines) has lines, each valid against the schema.
valid_lines() {
    bad_lines=0 n_lines=0
    while IFS= read -r line; do
        n_lines=$((n_lines + 1))
        printf '%s\n' "$line" > "$TMP/line"
        $JG --validate "$SCHEMA" "$TMP/line" >/dev/null || bad_lines=$((bad_lines + 1))
    done < "$2"
    if [ "$n_lines" -eq 0 ]; then fail "$1 match the schema" "no lines"
    elif [ "$bad_lines" -eq 0 ]; then ok "$1 match the schema too"
    else fail "$1 match the schema" "$bad_lines lines do not"; fi
}
# is NAME EXPR WANT: EXPR over the body's JSON (j) prints WANT.
is() {
    got=$($JG "$TMP/body" "$2" 2>&1)
    if [ "$got" = "$3" ]; then ok "$1"; else fail "$1" "$2 is '$got', want '$3'"; fi
}

# --- health, stats -----------------------------------------------------------------
get "health" /api/health 200
valid "health"
is "health says ok" 'j["status"]' ok
get "stats" /api/stats 200
valid "stats"
# every file but hidden ones and the metadata sidecar is indexed (README too:
# the extractors take any text)
files=$(find "$CS_TEST_CORPUS" "$FIX" -type f ! -name '.*' ! -name 'cybersearch-metadata.*' | wc -l)
is "stats counts the files" 'j["files"]' "$files"
is "stats has a schema version" 'j["schema"]' 2
is "stats counts one shard" 'j["shards"]' 1

# --- search: the same hits as the CLI's --json -------------------------------------
get "search" '/api/search?q=consensus+report&limit=5' 200
valid "search"
cp "$TMP/body" "$TMP/search"
is "search has hits" 'len(j["hits"]) > 0' true
is "every hit carries the schema version" 'all(h["schema"] == 2 for h in j["hits"])' true
is "marks as many as highlights" 'all(len(h["marks"]) == len(h["highlights"]) for h in j["hits"])' true
is "marks hold the highlighted text" \
    'all(h["snippet"].encode()[a:b].decode() == hl["text"] for h in j["hits"] for (a, b), hl in zip(h["marks"], h["highlights"]))' true
"$CS" search --index "$IDX" --json --limit 5 "consensus report" | grep '"type":"hit"' > "$TMP/cli-hits"
python3 - "$TMP/search" "$TMP/cli-hits" <<'PY' && ok "API hits equal the CLI's --json hits" || fail "API hits equal the CLI's --json hits"
import json, sys
api = json.load(open(sys.argv[1]))["hits"]
cli = [json.loads(l) for l in open(sys.argv[2])]
sys.exit(0 if api == cli and api else 1)
PY
"$CS" search --index "$IDX" --json --limit 3 "consensus report" > "$TMP/cli-lines"
valid_lines "the CLI's --json lines" "$TMP/cli-lines"
# a highlight's bytes in the file are the highlighted word (the citation is exact)
root=$($JG "$TMP/search" 'j["hits"][0]["root"]')
path=$($JG "$TMP/search" 'j["hits"][0]["path"]')
start=$($JG "$TMP/search" 'j["hits"][0]["highlights"][0]["start"]')
end=$($JG "$TMP/search" 'j["hits"][0]["highlights"][0]["end"]')
word=$($JG "$TMP/search" 'j["hits"][0]["highlights"][0]["text"]')
bytes=$(tail -c +"$((start + 1))" "$root/$path" | head -c "$((end - start))")
[ "$bytes" = "$word" ] && ok "highlight bytes cite the file exactly" || fail "highlight bytes cite the file" "'$bytes' != '$word'"

# --- paging and options ------------------------------------------------------------
get "page 1" '/api/search?q=cyber&limit=10' 200
cp "$TMP/body" "$TMP/page1"
get "page 2" '/api/search?q=cyber&limit=10&offset=10' 200
is "page 2 ranks follow page 1" '[h["rank"] for h in j["hits"]]' "[11, 12, 13, 14, 15, 16, 17, 18, 19, 20]"
python3 - "$TMP/page1" "$TMP/body" <<'PY' && ok "pages do not overlap" || fail "pages do not overlap"
import json, sys
a, b = ({h["passage"]["id"] for h in json.load(open(f))["hits"]} for f in sys.argv[1:])
sys.exit(0 if len(a) == len(b) == 10 and not a & b else 1)
PY
get "per_file=1" '/api/search?q=cyber&limit=20&per_file=1' 200
is "per_file=1 gives one passage per file" 'len({(h["root"], h["path"]) for h in j["hits"]}) == len(j["hits"])' true
get "all words" '/api/search?q=ransomware+zanzibar' 200
is "all words: relaxed, the missing word named" '[j["summary"]["relaxed"], j["hits"][0]["missing"]]' '[true, "zanzibar"]'
get "any word" '/api/search?q=ransomware+zanzibar&any=1' 200
is "any=1 is not relaxed" 'j["summary"]["relaxed"]' false
get "plain" '/api/search?q=%22open&plain=1' 200
# the deep ranking and the score's parts, as the CLI's --expand --file-evidence --explain
deep='q=consensus+report&limit=5&expand=1&file_evidence=true&explain=1'
get "expand, file_evidence, explain" "/api/search?$deep" 200
valid "an explained search"
cp "$TMP/body" "$TMP/deep"
is "explain: every hit has its score's parts" \
    'all(h["explanation"].startswith("%.3f = " % h["score"]) for h in j["hits"]) and len(j["hits"]) > 0' true
is "explain: the description names the feedback terms" '"expanded from the top" in j["description"]' true
"$CS" search --index "$IDX" --json --limit 5 --expand --file-evidence --explain "consensus report" \
    2>/dev/null > "$TMP/cli-deep"
valid_lines "the CLI's --json --explain lines" "$TMP/cli-deep"
python3 - "$TMP/deep" "$TMP/cli-deep" <<'PY' && ok "API deep hits and explanations equal the CLI's" || fail "API deep hits and explanations equal the CLI's"
import json, sys
api = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
cli = [l for l in lines if l["type"] == "hit"]
summary = [l for l in lines if l["type"] == "summary"][0]
sys.exit(0 if api["hits"] == cli and api["description"] == summary["description"] else 1)
PY
get "without explain" '/api/search?q=consensus+report&limit=5' 200
is "without explain: no explanation, no description" \
    'any("explanation" in h for h in j["hits"]) or "description" in j' false
get "explain without expand" '/api/search?q=consensus+report&limit=5&explain=1' 200
is "without expand=1 nothing is added to the query" '"expanded from" in j["description"]' false

# --- bad input: a clear JSON error -----------------------------------------------
get "bad query" '/api/search?q=%22open' 400
valid "bad query error"
is "bad query names the caret offset" '[j["type"], j["offset"], j["query"]]' '["error", 0, "\"open"]'
get "bad query later on" '/api/search?q=cyber+AND+(norms' 400
is "the offset points into the query" 'j["offset"] > 0' true
get "missing q" '/api/search' 400
valid "missing q error"
get "limit 0" '/api/search?q=cyber&limit=0' 400
get "limit too large" '/api/search?q=cyber&limit=101' 400
get "limit not a number" '/api/search?q=cyber&limit=ten' 400
get "negative offset" '/api/search?q=cyber&offset=-1' 400
get "bad flag" '/api/search?q=cyber&any=maybe' 400
get "bad expand" '/api/search?q=cyber&expand=yes' 400
is "bad expand names the parameter" 'j["message"]' "expand must be 0, 1, true or false"
get "bad file_evidence" '/api/search?q=cyber&file_evidence=2' 400
is "bad file_evidence names the parameter" 'j["message"]' "file_evidence must be 0, 1, true or false"
get "bad explain" '/api/search?q=cyber&explain=on' 400
valid "bad explain error"
long=$(head -c 3000 /dev/zero | tr '\0' 'a')
get "query over 2048 bytes" "/api/search?q=$long" 413
huge=$(head -c 100000 /dev/zero | tr '\0' 'a')
get "request line over the memory bound" "/api/search?q=$huge" 414
get "invalid UTF-8 in the query" '/api/search?q=%FF%FEcyber' 200
valid "invalid UTF-8 answer"
code=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -X POST -d 'q=cyber' "${URL}api/search")
[ "$code" = 405 ] && grep -qi '^Allow: GET, HEAD' "$TMP/head" && ok "POST is refused: read-only (405)" ||
    fail "POST is refused" "HTTP $code"
get "unknown API call" /api/delete 404
# on loopback, only requests for loopback names are answered (DNS rebinding)
host_code() { curl -s -o "$TMP/body" -w '%{http_code}' -H "Host: $1" "${URL}api/health"; }
[ "$(host_code evil.example)" = 421 ] && ok "a request for another host name is refused (421)" ||
    fail "a request for another host name is refused" "HTTP $(host_code evil.example)"
[ "$(host_code 127.0.0.1.evil.example)" = 421 ] && ok "nor a name that starts like an address" ||
    fail "nor a name that starts like an address" "HTTP $(host_code 127.0.0.1.evil.example)"
[ "$(host_code localhost:8080)" = 200 ] && ok "localhost is answered" || fail "localhost is answered"

# --- passages in context -------------------------------------------------------------
id=$($JG "$TMP/search" 'j["hits"][0]["passage"]["id"]')
get "passage" "/api/passage?id=$id&q=consensus+report&context=2" 200
valid "passage"
is "the passage asked for is in focus" 'j["passages"][j["focus"]]["passage"]["id"]' "$id"
is "its words are marked in full" 'len(j["passages"][j["focus"]]["marks"]) >= 2' true
is "neighbours come in file order" \
    'all(a["passage"]["start"] < b["passage"]["start"] for a, b in zip(j["passages"], j["passages"][1:]))' true
is "context 2: at most five passages" 'len(j["passages"]) <= 5 and len(j["passages"]) >= 3' true
get "passage without context" "/api/passage?id=$id&context=0" 200
is "context=0 is the passage alone" 'len(j["passages"])' 1
get "passage context too large" "/api/passage?id=$id&context=21" 400
get "passage without id" "/api/passage" 400

# --- nothing outside the index is served ----------------------------------------------
get "passage id as a path" '/api/passage?id=../../etc/passwd' 404
valid "not-found error"
get "passage id as an absolute path" '/api/passage?id=/etc/passwd' 404
get "passage id of a file path" "/api/passage?id=$path" 404
get "unknown passage" '/api/passage?id=0123456789abcdef-0' 404
get "traversal in the path" '/../../etc/passwd' 404
get "escaped traversal" '/%2e%2e/%2e%2e/etc/passwd' 404
get "traversal under /api" '/api/../../etc/passwd' 404
get "traversal to an asset" '/../cli/web/app.js' 404
get "a corpus file by its path" "/$path" 404
expect_no_grep "no file contents leak" 'root:x:0:0' "$TMP/body"

# --- the page: escaping and its policy -----------------------------------------------
get "the page" / 200
expect_grep "CSP allows only the page's own scripts" "^Content-Security-Policy: .*script-src 'self'" "$TMP/head"
expect_no_grep "CSP allows no inline script" "unsafe-inline|unsafe-eval" "$TMP/head"
expect_grep "nosniff" '^X-Content-Type-Options: nosniff' "$TMP/head"
expect_no_grep "no inline script in the page" '<script>|<script [^>]*>[^<]' "$TMP/body"
expect_no_grep "no inline handlers in the page" ' on[a-z]+=' "$TMP/body"
get "the script" /app.js 200
expect_grep "script served as JavaScript" '^Content-Type: text/javascript' "$TMP/head"
expect_no_grep "the script never writes HTML" 'innerHTML|outerHTML|insertAdjacentHTML|document\.write' "$TMP/body"
get "the schema" /api/schema.json 200
code=$(curl -s -I -o /dev/null -w '%{http_code}' "$URL")
[ "$code" = 200 ] && ok "HEAD / (200)" || fail "HEAD /" "HTTP $code"
get "the XSS file is found" '/api/search?q=xssfired' 200
is "its markup comes back as text in the JSON" \
    'any("<script>window.xssFired = 1</script>" in h["snippet"] for h in j["hits"])' true
expect_grep "API answers are JSON, not HTML" '^Content-Type: application/json' "$TMP/head"

# --- the server follows a reindex, and never fails during one ----------------------
cat > "$FIX/late.txt" <<'TXT'
A late statement on quokka diplomacy, indexed while the server runs.
TXT
"$CS" index --quiet --index "$IDX" >/dev/null 2>&1
get "a file indexed after the start" '/api/search?q=quokka' 200
is "is found without a restart" 'len(j["hits"])' 1
: > "$TMP/codes"
(
    while [ ! -f "$TMP/rebuilt" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' "${URL}api/search?q=consensus+report" >> "$TMP/codes"
        curl -s -o /dev/null -w '%{http_code}\n' "${URL}api/passage?id=$id" >> "$TMP/codes"
    done
) &
loop=$!
"$CS" index --quiet --rebuild --index "$IDX" --corpus "$CS_TEST_CORPUS" --corpus "$FIX" >/dev/null 2>&1
rebuilt=$?
touch "$TMP/rebuilt"
wait "$loop"
n=$(wc -l < "$TMP/codes")
bad=$(grep -vc '^200$' "$TMP/codes")
[ "$rebuilt" -eq 0 ] && [ "$n" -gt 10 ] && [ "$bad" -eq 0 ] &&
    ok "no failed request during a full rebuild ($n requests)" ||
    fail "no failed request during a full rebuild" "rebuild exit $rebuilt; $bad of $n failed: $(sort "$TMP/codes" | uniq -c | tr '\n' ' ')"

# an index that went away: 503 without its path, then served again when back
mv "$IDX" "$IDX.away"
get "health without the index" /api/health 503
valid "unavailable error"
expect_no_grep "the client is not told the index's path" "$TMP" "$TMP/body"
expect_grep "the log names it" "$TMP/index" "$TMP/server.err"
get "search without the index" '/api/search?q=cyber' 503
mv "$IDX.away" "$IDX"
get "the index back, without a restart" '/api/search?q=quokka' 200

stop_server
[ "$SERVER_STATUS" = 0 ] && ok "the server stops on SIGTERM, exit 0" ||
    fail "the server stops on SIGTERM, exit 0" "exit $SERVER_STATUS: $(tail -c 600 "$TMP/server.err")"

# --- it refuses to start, with a reason, rather than serve nothing ------------------
expect_status "no index: exit 2" 2 "$CS" serve --index "$TMP/none" --port 0
expect_grep "no index: says so" 'cannot open the index' "$TMP/err"
expect_status "bad port: exit 2" 2 "$CS" serve --index "$IDX" --port 70000
expect_status "bad thread count: exit 2" 2 "$CS" serve --index "$IDX" --port 0 --threads 0
expect_status "bad address: exit 2" 2 "$CS" serve --index "$IDX" --bind not-an-address --port 0
expect_grep "bad address: says so" 'cannot use address' "$TMP/err"
finish
