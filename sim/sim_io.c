/*
 * sim_io.c - port-I/O bus, COM1 UART and isa-debug-exit.
 *
 * UART registers: National Semiconductor PC16550D data sheet, "Register
 * Description" (THR/RBR 0, IER 1, IIR/FCR 2, LCR 3, MCR 4, LSR 5, MSR 6,
 * SCR 7; DLL/DLM at 0/1 when LCR bit 7 is set).  Debug exit: QEMU's
 * isa-debug-exit device (exit status (value << 1) | 1).
 *
 * Approximations: the UART transmits instantly (no baud-rate timing), has
 * no receiver, FIFOs or interrupts; IIR always reads "no interrupt" (1).
 */
#include "sim_io.h"

#include <string.h>

#include "sim_err.h"

void sim_io_init(struct sim_io_bus *bus)
{
    memset(bus, 0, sizeof(*bus));
}

int sim_io_claim(struct sim_io_bus *bus, uint16_t first, uint16_t last,
                 void *dev, sim_io_in_fn in, sim_io_out_fn out)
{
    unsigned i;

    if (last < first || bus->ndevs >= SIM_IO_MAX_DEVS) {
        return -SIM_EINVAL;
    }
    for (i = 0; i < bus->ndevs; i++) {
        if (first <= bus->devs[i].last && last >= bus->devs[i].first) {
            return -SIM_EINVAL;
        }
    }
    bus->devs[bus->ndevs].first = first;
    bus->devs[bus->ndevs].last = last;
    bus->devs[bus->ndevs].dev = dev;
    bus->devs[bus->ndevs].in = in;
    bus->devs[bus->ndevs].out = out;
    bus->ndevs++;
    return 0;
}

uint32_t sim_io_in(struct sim_io_bus *bus, uint16_t port, unsigned size)
{
    uint32_t ones = size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    unsigned i;

    for (i = 0; i < bus->ndevs; i++) {
        if (port >= bus->devs[i].first && port <= bus->devs[i].last) {
            return bus->devs[i].in != NULL
                   ? bus->devs[i].in(bus->devs[i].dev, port, size) & ones
                   : ones;
        }
    }
    return ones;
}

void sim_io_out(struct sim_io_bus *bus, uint16_t port, unsigned size,
                uint32_t value)
{
    unsigned i;

    for (i = 0; i < bus->ndevs; i++) {
        if (port >= bus->devs[i].first && port <= bus->devs[i].last) {
            if (bus->devs[i].out != NULL) {
                bus->devs[i].out(bus->devs[i].dev, port, size, value);
            }
            return;
        }
    }
}

/* ---- UART ---- */

#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20      /* transmit holding register empty */
#define UART_LSR_TEMT 0x40      /* transmitter empty */

static uint32_t uart_in(void *dev, uint16_t port, unsigned size)
{
    struct sim_uart *u = dev;
    bool dlab = (u->lcr & UART_LCR_DLAB) != 0;

    (void)size;
    switch (port & 7) {
    case 0:
        return dlab ? (u->divisor & 0xff) : 0;      /* RBR: nothing */
    case 1:
        return dlab ? (u->divisor >> 8) : u->ier;
    case 2:
        return 0x01;                                /* IIR: none pending */
    case 3:
        return u->lcr;
    case 4:
        return u->mcr;
    case 5:
        return UART_LSR_THRE | UART_LSR_TEMT;
    case 6:
        return 0xb0;            /* MSR: CTS, DSR, DCD asserted */
    default:
        return u->scr;
    }
}

static void uart_out(void *dev, uint16_t port, unsigned size, uint32_t v)
{
    struct sim_uart *u = dev;
    bool dlab = (u->lcr & UART_LCR_DLAB) != 0;

    (void)size;
    switch (port & 7) {
    case 0:
        if (dlab) {
            u->divisor = (uint16_t)((u->divisor & 0xff00) | (v & 0xff));
        } else {
            u->tx_bytes++;
            if (u->out != NULL) {
                fputc((int)(v & 0xff), u->out);
            }
        }
        break;
    case 1:
        if (dlab) {
            u->divisor = (uint16_t)((u->divisor & 0xff) | (v & 0xff) << 8);
        } else {
            u->ier = (uint8_t)(v & 0x0f);
        }
        break;
    case 3:
        u->lcr = (uint8_t)v;
        break;
    case 4:
        u->mcr = (uint8_t)(v & 0x1f);
        break;
    case 7:
        u->scr = (uint8_t)v;
        break;
    default:
        break;                  /* FCR, LSR, MSR writes: ignored */
    }
}

int sim_uart_attach(struct sim_uart *u, struct sim_io_bus *bus,
                    uint16_t base, FILE *out)
{
    memset(u, 0, sizeof(*u));
    u->out = out;
    u->lcr = 0x03;              /* 8N1 */
    u->divisor = 1;             /* 115200 baud */
    return sim_io_claim(bus, base, (uint16_t)(base + 7), u, uart_in,
                        uart_out);
}

/* ---- isa-debug-exit ---- */

static void debug_exit_out(void *dev, uint16_t port, unsigned size,
                           uint32_t v)
{
    struct sim_debug_exit *d = dev;

    (void)port;
    (void)size;
    if (!d->exited) {
        d->exited = true;
        d->value = v;
        d->status = (int)(((v << 1) | 1) & 0xff);
    }
}

int sim_debug_exit_attach(struct sim_debug_exit *d, struct sim_io_bus *bus,
                          uint16_t base)
{
    memset(d, 0, sizeof(*d));
    return sim_io_claim(bus, base, (uint16_t)(base + 3), d, NULL,
                        debug_exit_out);
}
