#!/bin/sh
# e2e_ia64_run.sh - `vtsim run --image` on IA-64 ELF64 images (the IA-64
# platform, sim/sim_ia64.h): two programs assembled and linked here with
# ia64-linux-gnu-as/ld (skipped without them, Debian package
# binutils-ia64-linux-gnu).
#   - hello writes "Hi" to the console port and 21 to the exit port:
#     stdout "Hi", exit status (21 << 1) | 1 = 43, runs.status complete;
#   - bus stores to an address nothing answers: the run ends in a machine
#     check, exit status 4, runs.status machine-check;
#   - `vtsim run CONFIG` whose [ia64] image names hello runs it with the
#     [ia64] keys of CONFIG: the same exit status, console output and
#     statistics as `--image hello.elf -o ia64.slot_cycles=2`, and
#     cpu0.cycles = 2 * cpu0.insns + the fetch and data cycles beyond L1
#     hits (every fetched line misses: cold code);
#   - a bad [ia64] image, or [x86] image and [ia64] image both set, is a
#     config error naming file, line and key (exit status 2, no database).
. "$(dirname "$0")/e2e_lib.sh"

AS=${IA64_AS:-ia64-linux-gnu-as}
LD=${IA64_LD:-ia64-linux-gnu-ld}
if ! command -v "$AS" >/dev/null 2>&1 || ! command -v "$LD" >/dev/null 2>&1; then
    echo "$AS / $LD not found: skipped"; exit 77
fi

cat > "$tmp/hello.S" <<'ASM'
	.text
	.global _start
_start:
	movl r2 = 0xffe00000
	mov r3 = 72 ;;
	st1 [r2] = r3
	mov r3 = 105 ;;
	st1 [r2] = r3
	mov r3 = 10 ;;
	st1 [r2] = r3
	movl r2 = 0xffe00008
	mov r3 = 21 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;
ASM
cat > "$tmp/bus.S" <<'ASM'
	.text
	.global _start
_start:
	movl r2 = 0xf0000000
	mov r3 = 1 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;
ASM
for p in hello bus; do
    "$AS" -x -o "$tmp/$p.o" "$tmp/$p.S" 2> "$tmp/$p.as" &&
        "$LD" -Ttext=0x100000 -e _start -o "$tmp/$p.elf" "$tmp/$p.o" ||
        bad "$p: assembling: $(cat "$tmp/$p.as")"
done

"$VTSIM" run -q --image "$tmp/hello.elf" --db "$tmp/hello.db" \
    > "$tmp/hello.out" 2> "$tmp/hello.err"
check "hello: exit status" $? 43
check "hello: console" "$(cat "$tmp/hello.out")" Hi
check "hello: run status" "$(q "$tmp/hello.db" 'SELECT status FROM runs')" complete
[ -s "$tmp/hello.err" ] && bad "hello: stderr: $(cat "$tmp/hello.err")"

"$VTSIM" run -q --image "$tmp/bus.elf" --db "$tmp/bus.db" \
    > "$tmp/bus.out" 2> "$tmp/bus.err"
check "bus: exit status" $? 4
check "bus: run status" "$(q "$tmp/bus.db" 'SELECT status FROM runs')" machine-check

# The image named by the config's [ia64] section.
printf '[ia64]\nimage = %s\nslot_cycles = 2\n' "$tmp/hello.elf" > "$tmp/cfg.ini"
"$VTSIM" run -q "$tmp/cfg.ini" --db "$tmp/cfg.db" > "$tmp/cfg.out" 2> "$tmp/cfg.err"
check "config: exit status" $? 43
check "config: console" "$(cat "$tmp/cfg.out")" Hi
check "config: run status" "$(q "$tmp/cfg.db" 'SELECT status FROM runs')" complete
[ -s "$tmp/cfg.err" ] && bad "config: stderr: $(cat "$tmp/cfg.err")"
"$VTSIM" run -q --image "$tmp/hello.elf" -o ia64.slot_cycles=2 \
    --db "$tmp/img2.db" > /dev/null 2>&1
check "config: image exit status" $? 43
stats="SELECT name || '=' || value FROM stat_values WHERE prefix = 'roi-end' ORDER BY name"
check "config: same stats as --image" "$(q "$tmp/cfg.db" "$stats" | md5sum)" \
    "$(q "$tmp/img2.db" "$stats" | md5sum)"
sv() { q "$1" "SELECT value FROM stat_values WHERE prefix = 'roi-end' AND name = '$2'"; }
ins=$(sv "$tmp/cfg.db" cpu0.insns)
mem=$(( $(sv "$tmp/cfg.db" cpu0.ifetch_cycles) + $(sv "$tmp/cfg.db" cpu0.data_cycles) ))
check "config: slot_cycles 2" "$(sv "$tmp/cfg.db" cpu0.cycles)" "$((2 * ins + mem))"
check "config: cold fetch misses" "$(sv "$tmp/cfg.db" cpu0.l1i.misses)" \
    "$(sv "$tmp/cfg.db" cpu0.fetch_lines)"

printf '[ia64]\n\nimage = %s\n' "$tmp/hello.S" > "$tmp/bad.ini"
"$VTSIM" run -q "$tmp/bad.ini" --db "$tmp/bad.db" > /dev/null 2> "$tmp/bad.err"
check "bad image: exit status" $? 2
grep -q "bad.ini:3: \[ia64\] image: '.*hello.S' is not an ELF64" "$tmp/bad.err" ||
    bad "bad image: stderr: $(cat "$tmp/bad.err")"
[ -e "$tmp/bad.db" ] && bad "bad image: a database was written"

printf '[x86]\nimage = x.elf\n[ia64]\nimage = %s\n' "$tmp/hello.elf" > "$tmp/two.ini"
"$VTSIM" run -q "$tmp/two.ini" --db "$tmp/two.db" > /dev/null 2> "$tmp/two.err"
check "two images: exit status" $? 2
grep -q "two.ini:4: \[ia64\] image: \[x86\] image names an image too" "$tmp/two.err" ||
    bad "two images: stderr: $(cat "$tmp/two.err")"
finish
