/*
 * sck.h - the C API of the SystemC kernel (implemented in sck.cc, the only
 * C++ translation unit).  No C++ type or exception crosses it; times are
 * picoseconds in uint64_t.
 *
 * One experiment per process: sck_init once, create threads and events,
 * sck_run in slices (as often as wanted), sck_shutdown once.  A core thread
 * runs a quantum of work ahead of SystemC time and calls sck_wait_ps once
 * per quantum, never per instruction (a SystemC wait costs tens of ns).
 */
#ifndef SIM_SCK_H
#define SIM_SCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sck_event sck_event;     /* opaque */

typedef void (*sck_thread_fn)(void *ctx);               /* an SC_THREAD */
typedef void (*sck_event_fn)(void *ctx, uint64_t now_ps);

/* Once per process; silences the SystemC banner. 0 or -SIM_EKERNEL. */
int sck_init(void);
/* Spawn a thread running fn(ctx); it starts at the next sck_run. */
int sck_thread_new(const char *name, sck_thread_fn fn, void *ctx);
/* Inside a thread only: advance this thread by delay_ps. */
void sck_wait_ps(uint64_t delay_ps);
/* An event whose callback runs (as a method) each time it fires. */
sck_event *sck_event_new(const char *name, sck_event_fn fn, void *ctx);
int sck_event_notify(sck_event *ev, uint64_t delay_ps);
/* Inside a thread only: block until ev fires. */
void sck_wait_event(sck_event *ev);
/* Simulate for duration_ps (or until sck_stop / no activity). */
int sck_run(uint64_t duration_ps);
/* True when nothing is left to simulate (all threads ended). */
int sck_idle(void);
uint64_t sck_now_ps(void);
int sck_stop(void);
void sck_shutdown(void);
const char *sck_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* SIM_SCK_H */
