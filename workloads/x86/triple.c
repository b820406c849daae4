/* workloads/x86/triple.c: deliberate triple fault for vtsim's x86 images.
 * It loads an IDT with limit 0 and executes UD2: delivering #UD finds no
 * gate (#GP), delivering #GP finds none either (#DF), and delivering #DF
 * fails too, which is a triple fault: the CPU enters shutdown.  QEMU treats
 * that as a reset request; with -no-reboot it exits with status 0 and no
 * message.  vtsim ends the run with its triple-fault status.
 */
#include "rt.h"

int main(void)
{
    static const struct x86_desc_ptr empty = { 0, 0 };

    printf("triple: loading an empty IDT (limit 0)\n");
    printf("triple: UD2 -> #UD -> #GP -> #DF -> triple fault -> shutdown\n");
    x86_lidt(&empty);
    __asm__ __volatile__("ud2");
    printf("triple: still running after UD2\n");     /* not reached */
    return 1;
}
