#!/bin/sh
# test_shards.sh - an index in shards, local or served by xapian-tcpsrv on
# loopback, answers exactly as one index of the same files: the same hits in
# the same order with the same scores and offsets, for every kind of query,
# with prefix*, path:, fields, facets and stats; an incremental run rewrites
# only the shard whose file changed; the shard count changes only with
# --rebuild; a shard server that dies or hangs fails the search within the
# timeout, naming the shard; a read replica kept by xapian-replicate answers
# as its master, also after a reindex.
. "${top_srcdir:-..}/tests/testlib.sh"
CS=${CYBERSEARCH:-../cli/cybersearch}
CORPUS=${CS_TEST_CORPUS:-../corpus}
C="$TMP/c"
mkdir -p "$C"
cp -R "$CORPUS/." "$C/"
chmod -R u+w "$C"

expect_status "one index" 0 "$CS" index --corpus "$C" --index "$TMP/one" -q
expect_status "the same files in 3 shards" 0 "$CS" index --corpus "$C" --index "$TMP/three" \
    --shards 3 -q
expect_grep "a stub names the 3 shards" "^auto v1/shard-2$" "$TMP/three/XAPIANDB"

cat > "$TMP/queries" <<'EOF'
cyber
cyber security
consensus report
state sovereignty
"international law"
"united nations"
"rule of law"
"confidence-building measures"
cyber*
negotiat*
sovereign*
terror*
develop* countries
climate NOT change
peace AND security
peace OR war
(sovereignty OR consensus) norms
+peace -war
+climate +finance
-nuclear disarmament
terrorism NEAR/5 cyber
weapons NEAR/3 mass
"human rights" council
path:seed
path:ungdc
path:"ungdc/Session 7*"
path:seed cyber
year:2019..2024 cyber
year:2006
year:1970..1980 peace
country:USA
country:"United States" security
country:FRA OR country:DEU
session:61
session:70..79 cyber*
format:txt consensus
lang:en sovereignty
date:2000..2010 development
ICT
U.S.
information and communication technologies
open-ended working group
group of governmental experts
critical infrastructure
disarmament
migration refugees
poverty eradication
sustainable development goals
nuclear NOT weapons
"Security Council" reform
EOF
[ "$(wc -l < "$TMP/queries")" -ge 50 ] && ok "50 queries" || fail "50 queries" "$(wc -l < "$TMP/queries")"

# hits: every field but the time taken; counts only where they are exact.
# A prefix* is one Xapian SYNONYM of its words' stems, whose weight Xapian
# 1.4 takes from a term frequency it estimates in each shard from the
# stems that shard holds: its scores may differ in the last digits, so its
# hits are compared as a set.
answers() {
    index=$1
    shift
    while IFS= read -r q; do
        printf 'query: %s\n' "$q"
        case $q in
        *'*'*) "$CS" --index "$index" --json --limit 100000 --per-file 0 "$@" "$q" 2>&1 |
                   grep -o '"passage":{"id":"[^"]*","start":[0-9]*' | sort ;;
        *) "$CS" --index "$index" --json --limit 20 "$@" "$q" 2>&1 | grep '"type":"hit"' ;;
        esac
        "$CS" --index "$index" --count --limit 0 "$@" "$q" 2>&1
    done < "$TMP/queries"
    "$CS" --index "$index" --facet year --facet country --limit 0 --per-million cyber 2>&1
    "$CS" --index "$index" --facet session --facet-order count --limit 0 "peace OR war" 2>&1
    "$CS" stats --index "$index" | grep -E '^(schema|language|passages|files|words):'
}
same_answers() {
    name=$1 want=$2 index=$3
    shift 3
    answers "$index" "$@" > "$TMP/got"
    if cmp -s "$want" "$TMP/got"; then ok "$name"; else
        fail "$name" "$(diff "$want" "$TMP/got" | head -n 6 | cut -c1-240)"; fi
}
answers "$TMP/one" > "$TMP/want"
grep -q '"type":"hit"' "$TMP/want" && ok "the queries find passages" ||
    fail "the queries find passages"
grep -q '"path":"seed' "$TMP/want" && ok "path: finds its files" || fail "path: finds its files"
answers "$TMP/one" --any --per-file 0 > "$TMP/want-any"
same_answers "3 local shards answer as one index" "$TMP/want" "$TMP/three"
same_answers "and so with --any --per-file 0" "$TMP/want-any" "$TMP/three" --any --per-file 0
printf 'auto %s/three/v1/shard-0\nauto %s/three/v1/shard-1\n\nauto %s/three/v1/shard-2\n' \
    "$TMP" "$TMP" "$TMP" > "$TMP/list.stub"
same_answers "a stub file listing the shards, too" "$TMP/want" "$TMP/list.stub"
expect_status "stats of one index" 0 "$CS" stats --index "$TMP/one"
expect_grep "counts one shard" '^shards: +1$' "$TMP/out"
expect_status "stats of 3 shards" 0 "$CS" stats --index "$TMP/three"
expect_grep "counts 3 shards" '^shards: +3$' "$TMP/out"

expect_status "changing the shard count needs --rebuild" 2 \
    "$CS" index --index "$TMP/three" --shards 2
expect_grep "and says so" "has 3 shards: changing that to 2 needs --rebuild" "$TMP/err"
printf 'auto %s/three/v1/shard-1\nauto %s/three/v1/shard-0\nauto %s/three/v1/shard-2\n' \
    "$TMP" "$TMP" "$TMP" > "$TMP/swapped.stub"
expect_status "a stub naming the shards out of order is not written through" 2 \
    "$CS" index --index "$TMP/swapped.stub"
expect_grep "and says so" "names its shards out of order" "$TMP/err"

# an incremental run rewrites the shard of the changed file only
sums() { for s in 0 1 2; do (cd "$TMP/three/v1/shard-$s" && cat ./*.glass | md5sum); done; }
sums > "$TMP/sums-before"
f=$(ls "$C/seed/"*.txt | head -n 1)
echo "Cyber capacity building in the Pacific is a shared duty, zanzibarite." >> "$f"
expect_status "an incremental run" 0 "$CS" index --index "$TMP/three" -q
sums > "$TMP/sums-after"
changed=$(diff "$TMP/sums-before" "$TMP/sums-after" | grep -c '^>')
[ "$changed" -eq 1 ] && ok "touches one shard" || fail "touches one shard" "$changed changed"
expect_status "the new word is found" 0 "$CS" --index "$TMP/three" zanzibarite
expect_status "and by its prefix" 0 "$CS" --index "$TMP/three" "zanzibar*"
expect_status "one index updated too" 0 "$CS" index --index "$TMP/one" -q
answers "$TMP/one" > "$TMP/want"
same_answers "and they still answer alike" "$TMP/want" "$TMP/three"

expect_status "a rebuild into 2 shards" 0 "$CS" index --index "$TMP/three" --rebuild --shards 2 -q
expect_grep "switches the stub to the new version" "^auto v2/shard-1$" "$TMP/three/XAPIANDB"
same_answers "which answers alike" "$TMP/want" "$TMP/three"
echo "auto three" > "$TMP/nested.stub"   # an index in shards, named by a stub of one's own
same_answers "a stub naming the index answers alike" "$TMP/want" "$TMP/nested.stub"
printf 'auto three/v2/shard-0\nauto three/v2/shard-1\nauto three/v2/shard-0\n' > "$TMP/twice.stub"
expect_status "a stub naming a shard twice is refused" 2 "$CS" --index "$TMP/twice.stub" cyber
expect_grep "naming it" "names one database twice: .*/shard-0 and .*/shard-0" "$TMP/err"
# shards of two indexes would be read by the first one's roots and language
mkdir -p "$TMP/other"
cp "$C/seed/"*.txt "$TMP/other/"
expect_status "another index, in French" 0 "$CS" index --corpus "$TMP/other" --index "$TMP/fr" \
    --language french -q
printf 'auto three\nauto fr\n' > "$TMP/mixed.stub"
expect_status "a stub of two indexes' shards is refused" 2 "$CS" --index "$TMP/mixed.stub" cyber
expect_grep "naming the difference" 'shards of different indexes \(language "english" and "french"\)' \
    "$TMP/err"
expect_status "another index of other roots" 0 "$CS" index --corpus "$TMP/other" --index "$TMP/en" -q
printf 'auto three\nauto en\n' > "$TMP/mixed.stub"
expect_status "is refused too" 2 "$CS" --index "$TMP/mixed.stub" cyber
expect_grep "for its roots" 'shards of different indexes \(roots ' "$TMP/err"
printf 'auto three/v2/shard-1\n' > "$TMP/part.stub"
expect_status "a stub naming some of the shards is refused" 2 "$CS" --index "$TMP/part.stub" cyber
expect_grep "naming the one left out" "is 1 of the 2 shards of its index, without shard 0" "$TMP/err"
expect_status "so is one shard alone" 2 "$CS" --index "$TMP/three/v2/shard-0" cyber
expect_grep "naming the other" "without shard 1" "$TMP/err"

# --- remote shards: xapian-tcpsrv on loopback ----------------------------------
if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
    skip "remote shards" "xapian-tcpsrv is not installed (xapian-tools)"
    finish; exit
fi
expect_status "back to 3 shards" 0 "$CS" index --index "$TMP/three" --rebuild --shards 3 -q
. "${top_srcdir:-..}/tests/listenlib.sh"
: > "$TMP/remote.stub"
for s in 0 1 2; do
    listen_start "$TMP/srv-$s.log" xapian-tcpsrv "$TMP/three/v3/shard-$s" --quiet --timeout 20000 ||
        { fail "remote shards" "xapian-tcpsrv did not start"; finish; exit; }
    eval "pid_$s=$listen_pid port_$s=$listen_port"
    echo "remote 127.0.0.1:$listen_port" >> "$TMP/remote.stub"
done
same_answers "3 remote shards answer as one index" "$TMP/want" "$TMP/remote.stub"
head -n 2 "$TMP/remote.stub" > "$TMP/two-of-three.stub"
expect_status "2 of 3 remote shards are refused" 2 "$CS" --index "$TMP/two-of-three.stub" cyber
expect_grep "naming the third" "is 2 of the 3 shards of its index, without shard 2" "$TMP/err"
expect_status "stats of 3 remote shards" 0 "$CS" stats --index "$TMP/remote.stub"
expect_grep "counts them" '^shards: +3$' "$TMP/out"
# one server of the whole index would answer as its first shard's metadata
listen_start "$TMP/srv-all.log" xapian-tcpsrv "$TMP/three" --quiet --timeout 20000 ||
    { fail "a server of the whole index" "xapian-tcpsrv did not start"; finish; exit; }
echo "remote 127.0.0.1:$listen_port" > "$TMP/whole.stub"
expect_status "a server of a whole index in shards is refused" 2 "$CS" --index "$TMP/whole.stub" cyber
expect_grep "saying why and what to do" "serves 3 databases as one: serve each shard" "$TMP/err"

# the passage text travels in the document: snippets and citations without the corpus
mv "$C" "$TMP/away"
"$CS" --index "$TMP/remote.stub" --json --limit 3 "cyber security" > "$TMP/away.json" 2>&1
expect_grep "a remote hit keeps its snippet" '"snippet":"[^"]*[Cc]yber' "$TMP/away.json"
expect_grep "and its citation" '"start":[0-9]+,"end":[0-9]+' "$TMP/away.json"
expect_grep "staleness is unknown, not guessed" '"stale":null' "$TMP/away.json"
mv "$TMP/away" "$C"

kill -STOP "$pid_1"
start=$(date +%s)
expect_status "a hung shard server fails the search" 2 "$CS" --index "$TMP/remote.stub" cyber
took=$(( $(date +%s) - start ))
[ "$took" -le 30 ] && ok "within the timeout (${took}s)" || fail "within the timeout" "${took}s"
expect_grep "naming the shard" "127.0.0.1:$port_1" "$TMP/err"
kill -CONT "$pid_1"
kill -KILL "$pid_2"
wait "$pid_2" 2>/dev/null
expect_status "a dead shard server fails the search" 2 "$CS" --index "$TMP/remote.stub" cyber
expect_grep "naming it" "127.0.0.1:$port_2" "$TMP/err"

# --- a read replica: xapian-replicate ------------------------------------------
if ! command -v xapian-replicate-server >/dev/null 2>&1; then
    skip "a read replica" "xapian-replicate is not installed (xapian-tools)"
    finish; exit
fi
R="$TMP/master"
mkdir -p "$TMP/rc"
cp "$C/seed/"*.txt "$TMP/rc/"
expect_status "a master index, keeping changesets" 0 env XAPIAN_MAX_CHANGESETS=10 \
    "$CS" index --corpus "$TMP/rc" --index "$R" -q
listen_start "$TMP/rep.log" xapian-replicate-server "$R" ||
    { fail "a read replica" "xapian-replicate-server did not start"; finish; exit; }
rport=$listen_port
master=$(sed -n 's/^auto //p' "$R/XAPIANDB")
replicate() {
    timeout 60 xapian-replicate --host 127.0.0.1 --port "$rport" --master "$master" --one-shot \
        "$TMP/replica" > "$TMP/replicate.log" 2>&1
}
expect_status "the replica is made" 0 replicate
answers "$R" > "$TMP/want-r"
same_answers "the replica answers as its master" "$TMP/want-r" "$TMP/replica"
printf 'auto %s\nauto %s\n' "$R/$master" "$TMP/replica" > "$TMP/both.stub"
expect_status "a stub naming a shard and its replica is refused" 2 "$CS" --index "$TMP/both.stub" cyber
expect_grep "which keeps its UUID" "names one database twice" "$TMP/err"
echo "A passage on quokkaphile diplomacy." > "$TMP/rc/added.txt"
expect_status "the master is reindexed" 0 env XAPIAN_MAX_CHANGESETS=10 "$CS" index --index "$R" -q
expect_status "the replica catches up" 0 replicate
expect_status "and finds the new file" 0 "$CS" --index "$TMP/replica" quokkaphile
answers "$R" > "$TMP/want-r"
same_answers "and answers as its master again" "$TMP/want-r" "$TMP/replica"
finish
