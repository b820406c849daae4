/* test_io.c - suite "io": the port bus, the COM1 UART and debug exit. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"
#include "sim/sim_io.h"
#include "test_suites.h"

static void test_io_uart_transmits(void)
{
    struct sim_io_bus bus;
    struct sim_uart u;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    CU_ASSERT_FATAL(f != NULL);
    sim_io_init(&bus);
    CU_ASSERT_EQUAL(sim_uart_attach(&u, &bus, SIM_IO_COM1, f), 0);
    /* A polling driver: wait for THR empty, then write. */
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x3FD, 1) & 0x20, 0x20);
    sim_io_out(&bus, 0x3F8, 1, 'h');
    sim_io_out(&bus, 0x3F8, 1, 'i');
    sim_io_out(&bus, 0x3F8, 1, '\n');
    fclose(f);
    CU_ASSERT_EQUAL(len, 3);
    CU_ASSERT_NSTRING_EQUAL(buf, "hi\n", 3);
    CU_ASSERT_EQUAL(u.tx_bytes, 3);
    free(buf);
}

static void test_io_uart_divisor_latch(void)
{
    struct sim_io_bus bus;
    struct sim_uart u;

    sim_io_init(&bus);
    CU_ASSERT_EQUAL(sim_uart_attach(&u, &bus, SIM_IO_COM1, NULL), 0);
    /* DLAB = 1: offsets 0/1 are the divisor and nothing is sent. */
    sim_io_out(&bus, 0x3FB, 1, 0x83);
    sim_io_out(&bus, 0x3F8, 1, 0x03);
    sim_io_out(&bus, 0x3F9, 1, 0x00);
    CU_ASSERT_EQUAL(u.divisor, 3);
    CU_ASSERT_EQUAL(u.tx_bytes, 0);
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x3F8, 1), 3);
    sim_io_out(&bus, 0x3FB, 1, 0x03);
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x3FB, 1), 0x03);
    sim_io_out(&bus, 0x3F9, 1, 0xff);
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x3F9, 1), 0x0f);   /* IER bits 3:0 */
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x3FA, 1), 0x01);   /* no interrupt */
    sim_io_out(&bus, 0x3FF, 1, 0x5a);
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x3FF, 1), 0x5a);
}

static void test_io_debug_exit(void)
{
    struct sim_io_bus bus;
    struct sim_debug_exit d;

    sim_io_init(&bus);
    CU_ASSERT_EQUAL(sim_debug_exit_attach(&d, &bus, SIM_IO_DEBUG_EXIT), 0);
    CU_ASSERT_FALSE(d.exited);
    sim_io_out(&bus, 0xF4, 4, 0);
    CU_ASSERT(d.exited);
    CU_ASSERT_EQUAL(d.status, 1);               /* QEMU: (0 << 1) | 1 */
    sim_io_out(&bus, 0xF4, 4, 5);               /* the first write wins */
    CU_ASSERT_EQUAL(d.status, 1);
    sim_debug_exit_attach(&d, &bus, 0x500);
    sim_io_out(&bus, 0x500, 1, 0x7e);
    CU_ASSERT_EQUAL(d.status, 253);             /* (0x7e << 1) | 1 */
}

static void test_io_bus_rules(void)
{
    struct sim_io_bus bus;
    struct sim_uart u;
    struct sim_uart v;

    sim_io_init(&bus);
    CU_ASSERT_EQUAL(sim_uart_attach(&u, &bus, SIM_IO_COM1, NULL), 0);
    /* Overlapping claims are refused. */
    CU_ASSERT_EQUAL(sim_uart_attach(&v, &bus, 0x3FC, NULL), -SIM_EINVAL);
    /* Unclaimed ports float high, per access size. */
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x80, 1), 0xff);
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x80, 2), 0xffff);
    CU_ASSERT_EQUAL(sim_io_in(&bus, 0x80, 4), 0xffffffffu);
    sim_io_out(&bus, 0x80, 1, 0x12);            /* ignored, no crash */
}

int test_io_register(void)
{
    CU_pSuite s = CU_add_suite("io", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "uart_transmits", test_io_uart_transmits) == NULL ||
        CU_add_test(s, "uart_divisor_latch",
                    test_io_uart_divisor_latch) == NULL ||
        CU_add_test(s, "debug_exit", test_io_debug_exit) == NULL ||
        CU_add_test(s, "bus_rules", test_io_bus_rules) == NULL) {
        return -1;
    }
    return 0;
}
