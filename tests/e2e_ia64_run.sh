#!/bin/sh
# e2e_ia64_run.sh - `vtsim run --image` on IA-64 ELF64 images (the IA-64
# platform, sim/sim_ia64.h): two programs assembled and linked here with
# ia64-linux-gnu-as/ld (skipped without them, Debian package
# binutils-ia64-linux-gnu).
#   - hello writes "Hi" to the console port and 21 to the exit port:
#     stdout "Hi", exit status (21 << 1) | 1 = 43, runs.status complete;
#   - bus stores to an address nothing answers: the run ends in a machine
#     check, exit status 4, runs.status machine-check.
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
finish
