/* workloads/x86/rt_console.c: COM1 console, a small printf and exit() for
 * the vtsim x86 runtime.  The UART is programmed as a 16550 (115200 baud,
 * 8N1, FIFO on, interrupts off) and written by polling LSR.THRE; exit()
 * writes its code to QEMU's isa-debug-exit port.
 */
#include <stdbool.h>
#include "rt.h"

/* 16550 register offsets from the base port. */
#define UART_THR    0       /* transmit holding (DLAB=0) */
#define UART_DLL    0       /* divisor latch low (DLAB=1) */
#define UART_IER    1       /* interrupt enable (DLAB=0) */
#define UART_DLM    1       /* divisor latch high (DLAB=1) */
#define UART_FCR    2       /* FIFO control */
#define UART_LCR    3       /* line control */
#define UART_MCR    4       /* modem control */
#define UART_LSR    5       /* line status */
#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define FCR_ENABLE  0xC7    /* enable, clear both FIFOs, 14-byte trigger */
#define MCR_DTR_RTS 0x03
#define LSR_THRE    0x20    /* transmit holding register empty */

/* Bounded wait: a UART model that never sets THRE still gets its bytes. */
#define UART_SPIN   100000

void rt_console_init(void)
{
    x86_outb(PORT_COM1 + UART_IER, 0x00);
    x86_outb(PORT_COM1 + UART_LCR, LCR_DLAB);
    x86_outb(PORT_COM1 + UART_DLL, 0x01);       /* 115200 baud */
    x86_outb(PORT_COM1 + UART_DLM, 0x00);
    x86_outb(PORT_COM1 + UART_LCR, LCR_8N1);
    x86_outb(PORT_COM1 + UART_FCR, FCR_ENABLE);
    x86_outb(PORT_COM1 + UART_MCR, MCR_DTR_RTS);
}

int putchar(int c)
{
    for (int i = 0; i < UART_SPIN; i++)
        if (x86_inb(PORT_COM1 + UART_LSR) & LSR_THRE)
            break;
    x86_outb(PORT_COM1 + UART_THR, (uint8_t)c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    while (*s != '\0')
        putchar(*s++);
    putchar('\n');
    return 0;
}

_Noreturn void exit(int code)
{
    x86_outl(PORT_DEBUG_EXIT, (uint32_t)code);
    for (;;)
        x86_hlt();      /* no debug-exit device: IF=0, so this stops */
}

/* ---- printf ------------------------------------------------------------- */

struct fmt_spec {
    int  width;
    bool left;          /* '-' */
    bool zero;          /* '0' */
    bool alt;           /* '#': 0x prefix for %x, 0 for %o */
};

static int fmt_pad(char c, int n)
{
    for (int i = 0; i < n; i++)
        putchar(c);
    return n > 0 ? n : 0;
}

static int fmt_str(const struct fmt_spec *sp, const char *s)
{
    int len = (int)strlen(s), n = 0;

    if (!sp->left)
        n += fmt_pad(' ', sp->width - len);
    for (const char *p = s; *p != '\0'; p++)
        putchar(*p);
    n += len;
    if (sp->left)
        n += fmt_pad(' ', sp->width - len);
    return n;
}

static int fmt_num(const struct fmt_spec *sp, uint64_t v, bool neg,
                   unsigned int base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    const char *prefix = "";
    char buf[24];
    int nd = 0, len, n = 0;

    do {
        buf[nd++] = digits[v % base];
        v /= base;
    } while (v != 0);
    if (neg)
        prefix = "-";
    else if (sp->alt && base == 16)
        prefix = upper ? "0X" : "0x";
    else if (sp->alt && base == 8 && buf[nd - 1] != '0')
        prefix = "0";
    len = nd + (int)strlen(prefix);

    if (!sp->left && !sp->zero)
        n += fmt_pad(' ', sp->width - len);
    for (const char *p = prefix; *p != '\0'; p++)
        putchar(*p);
    if (!sp->left && sp->zero)
        n += fmt_pad('0', sp->width - len);
    while (nd > 0)
        putchar(buf[--nd]);
    n += len;
    if (sp->left)
        n += fmt_pad(' ', sp->width - len);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    int n = 0;

    for (const char *f = fmt; *f != '\0'; f++) {
        struct fmt_spec sp = { 0, false, false, false };
        const char *start = f;
        int lng = 0;            /* 0: int, 1: long, 2: long long, 3: size_t */
        uint64_t u;
        int64_t d;

        if (*f != '%') {
            putchar(*f);
            n++;
            continue;
        }
        for (f++;; f++) {
            if (*f == '-')
                sp.left = true;
            else if (*f == '0')
                sp.zero = true;
            else if (*f == '#')
                sp.alt = true;
            else
                break;
        }
        while (*f >= '0' && *f <= '9')
            sp.width = sp.width * 10 + (*f++ - '0');
        if (*f == 'z') {
            lng = 3;
            f++;
        } else {
            while (*f == 'l' && lng < 2) {
                lng++;
                f++;
            }
        }

        switch (*f) {
        case 'd':
        case 'i':
            if (lng == 0)
                d = va_arg(ap, int);
            else if (lng == 1)
                d = va_arg(ap, long);
            else if (lng == 2)
                d = va_arg(ap, long long);
            else
                d = (int64_t)va_arg(ap, size_t);
            u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
            n += fmt_num(&sp, u, d < 0, 10, false);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            if (lng == 0)
                u = va_arg(ap, unsigned int);
            else if (lng == 1)
                u = va_arg(ap, unsigned long);
            else if (lng == 2)
                u = va_arg(ap, unsigned long long);
            else
                u = va_arg(ap, size_t);
            n += fmt_num(&sp, u, false,
                         *f == 'u' ? 10 : *f == 'o' ? 8 : 16, *f == 'X');
            break;
        case 'p':
            sp.alt = true;
            n += fmt_num(&sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
            break;
        case 'c':
            putchar(va_arg(ap, int));
            n++;
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);

            n += fmt_str(&sp, s != NULL ? s : "(null)");
            break;
        }
        case '%':
            putchar('%');
            n++;
            break;
        default:                /* unknown or truncated: print it as is */
            for (const char *p = start; p <= f && *p != '\0'; p++, n++)
                putchar(*p);
            if (*f == '\0')
                return n;
            break;
        }
    }
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
