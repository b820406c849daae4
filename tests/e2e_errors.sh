#!/bin/sh
# e2e_errors.sh - user errors: exit status 2, a message naming file, line
# and key, and no database written.
. "$(dirname "$0")/e2e_lib.sh"

# expect_error NAME INI_TEXT PATTERN [extra args]
expect_error() {
    name=$1; text=$2; pattern=$3; shift 3
    printf '%s\n' "$text" > "$tmp/$name.ini"
    "$VTSIM" run "$tmp/$name.ini" --db "$tmp/$name.db" "$@" 2> "$tmp/$name.err" > /dev/null
    st=$?
    check "$name: exit status" "$st" 2
    if grep -q -- "$pattern" "$tmp/$name.err"; then ok "$name: message"; else bad "$name: message '$(cat "$tmp/$name.err")' lacks '$pattern'"; fi
    [ ! -e "$tmp/$name.db" ] && ok "$name: no database" || bad "$name: a database was written"
}

expect_error unknown_key '[cache/l1d]
size = 32K
wayz = 8' "unknown_key.ini:3: \[cache/l1d\] wayz: unknown key (did you mean 'ways'?)"
expect_error unknown_section '[cahce/l1d]
ways = 8' "unknown_section.ini:1: \[cahce/l1d\]: unknown section (did you mean 'cache/l1d'?)"
expect_error bad_number '[cache/l2]
ways = 1x' "bad_number.ini:2: \[cache/l2\] ways: '1x'"
expect_error out_of_range '[cache/l1d]
ways = 100' "out_of_range.ini:2: \[cache/l1d\] ways: 100 is out of range"
expect_error bad_enum '[cache/llc]
repl = lur' "did you mean 'lru'"
expect_error geometry '[cache/l1d]
size = 48K
ways = 8' "geometry.ini:2: \[cache/l1d\] size"
expect_error tlb_geometry '[tlb/l2]
entries = 1000
ways = 8' "\[tlb/l2\]"
expect_error missing_include 'include = no-such-file.ini' "missing_include.ini:1: .*include"
expect_error bad_mode '[workload]
mode = native,shadow' "bad_mode.ini:2: \[workload\] mode: 'shadow'"
expect_error bad_override '[workload]
accesses = 10' "-o #1: \[workload\] levels: 6 is out of range" -o workload.levels=6

"$VTSIM" run "$tmp/no-such.ini" --db "$tmp/none.db" 2> "$tmp/nofile.err"
check "missing config: exit status" $? 2
grep -q "no-such.ini" "$tmp/nofile.err" && ok "missing config: named" || bad "missing config: $(cat "$tmp/nofile.err")"

"$VTSIM" frobnicate 2> /dev/null
check "unknown command" $? 2
for c in run report plot config bench classify disasm; do
    "$VTSIM" $c --help > "$tmp/help.txt"
    check "$c --help exit" $? 0
    grep -q "usage: vtsim $c" "$tmp/help.txt" && ok "$c --help text" || bad "$c --help: $(head -2 "$tmp/help.txt")"
done

# config --keys documents every section; --dump round-trips.
"$VTSIM" config --keys > "$tmp/keys.txt"
for s in cache/l1d cache/llc dram tlb/l2 psc/pd pwc ntlb mmu workload trace; do
    grep -q "$s" "$tmp/keys.txt" && ok "--keys lists [$s]" || bad "--keys lacks [$s]"
done
"$VTSIM" config --dump "$top_srcdir/configs/examples/nested-walk.ini" -o cache/l2.ways=8 > "$tmp/dump1.ini"
check "dump exit" $? 0
"$VTSIM" config --dump "$tmp/dump1.ini" > "$tmp/dump2.ini"
strip() { sed -e 's/ *;.*$//' "$1"; }
strip "$tmp/dump1.ini" > "$tmp/d1"; strip "$tmp/dump2.ini" > "$tmp/d2"
cmp -s "$tmp/d1" "$tmp/d2" && ok "dump reloads to the same values" || bad "dump round trip differs"
grep -Eq "^ways +=  *8 +; -o #1" "$tmp/dump1.ini" && ok "override in dump" || bad "override missing from dump"
# The Popek-Goldberg table lists the sensitive unprivileged instructions.
"$VTSIM" classify --isa x86 > "$tmp/classify.txt"
check "classify exit" $? 0
sed -n '/^Sensitive but not privileged/,$p' "$tmp/classify.txt" > "$tmp/su.txt"
for insn in SGDT SIDT SMSW POPF PUSHF LAR LSL VERR MOV_FROM_SREG; do
    grep -q "^$insn " "$tmp/su.txt" && ok "classify lists $insn" || bad "classify lacks $insn"
done
grep -q "^MOV_TO_CR " "$tmp/su.txt" && bad "MOV_TO_CR listed as unprivileged" || ok "MOV_TO_CR is privileged"
"$VTSIM" classify --isa arm 2> /dev/null
check "classify of an unmodelled ISA" $? 2
finish
