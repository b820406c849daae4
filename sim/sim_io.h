/*
 * sim_io.h - the port-I/O bus of a simulated PC and its simple devices.
 *
 * Devices claim port ranges; IN/OUT of 1, 2 or 4 bytes go to the device
 * that claims the port.  An unclaimed port reads as all ones and ignores
 * writes, as on a PC's ISA bus.
 *
 * Devices here:
 *   COM1 UART (0x3F8-0x3FF): a 16550 subset.  Writing THR (0x3F8 with
 *     LCR.DLAB = 0) outputs the byte; LSR (0x3FD) reads THR-empty and
 *     transmitter-empty (0x60), so polling drivers never wait; LCR, IER,
 *     MCR and the divisor latch keep what is written; the receiver is
 *     always empty.
 *   isa-debug-exit (0xF4, 4 ports): a write of v ends the run with exit
 *     status (v << 1) | 1, as QEMU's `-device isa-debug-exit` does.
 */
#ifndef SIM_IO_H
#define SIM_IO_H

#include <stdio.h>

#include "sim_types.h"

#define SIM_IO_COM1       0x3F8
#define SIM_IO_DEBUG_EXIT 0xF4

typedef uint32_t (*sim_io_in_fn)(void *dev, uint16_t port, unsigned size);
typedef void (*sim_io_out_fn)(void *dev, uint16_t port, unsigned size,
                              uint32_t value);

#define SIM_IO_MAX_DEVS 16

struct sim_io_bus {
    unsigned ndevs;
    struct {
        uint16_t first;
        uint16_t last;
        void *dev;
        sim_io_in_fn in;
        sim_io_out_fn out;
    } devs[SIM_IO_MAX_DEVS];
};

void sim_io_init(struct sim_io_bus *bus);
/* Claim [first, last]; -SIM_EINVAL if it overlaps a claimed range or the
 * bus is full. */
int sim_io_claim(struct sim_io_bus *bus, uint16_t first, uint16_t last,
                 void *dev, sim_io_in_fn in, sim_io_out_fn out);
uint32_t sim_io_in(struct sim_io_bus *bus, uint16_t port, unsigned size);
void sim_io_out(struct sim_io_bus *bus, uint16_t port, unsigned size,
                uint32_t value);

struct sim_uart {
    FILE *out;              /* where transmitted bytes go (may be NULL) */
    uint8_t ier;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t scr;
    uint16_t divisor;
    uint64_t tx_bytes;
};

int sim_uart_attach(struct sim_uart *u, struct sim_io_bus *bus,
                    uint16_t base, FILE *out);

struct sim_debug_exit {
    bool exited;
    int status;             /* (value << 1) | 1, truncated to 8 bits */
    uint32_t value;
};

int sim_debug_exit_attach(struct sim_debug_exit *d, struct sim_io_bus *bus,
                          uint16_t base);

#endif /* SIM_IO_H */
