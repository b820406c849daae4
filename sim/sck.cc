// sck.cc - SystemC behind the C API of sck.h; the only C++ file of vtsim.
//
// Every entry point is extern "C" and catches every exception, turning it
// into -SIM_EKERNEL with the message kept for sck_last_error().  Threads and
// events are created with sc_spawn (dynamic processes), so C code registers
// callbacks instead of deriving modules.

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cstdlib>
#include <string>
#include <vector>

#include "sim/sim_err.h"
#include "sim/sck.h"

struct sck_event {
    sc_core::sc_event ev;
    sck_event_fn fn;
    void *ctx;
    explicit sck_event(const char *name) : ev(name), fn(nullptr),
                                           ctx(nullptr) {}
};

namespace {

std::string last_error;
std::vector<sck_event *> events;
int live_threads;

int fail(const char *what)
{
    last_error = what;
    return -SIM_EKERNEL;
}

void thread_body(sck_thread_fn fn, void *ctx)
{
    fn(ctx);
    live_threads--;
}

void event_body(sck_event *e)
{
    e->fn(e->ctx, (uint64_t)sc_core::sc_time_stamp().value());
}

} // namespace

// libsystemc's own main() (unused: vtsim has its own) refers to sc_main.
int sc_main(int, char **)
{
    return 1;
}

extern "C" int sck_init(void)
{
    try {
        // Must be set before the simulation context exists.
        setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
        sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
        sc_core::sc_report_handler::set_actions(sc_core::SC_INFO,
                                                sc_core::SC_DO_NOTHING);
        sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING,
                                                sc_core::SC_DO_NOTHING);
        return 0;
    } catch (const std::exception &e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown SystemC exception in sck_init");
    }
}

extern "C" int sck_thread_new(const char *name, sck_thread_fn fn, void *ctx)
{
    try {
        sc_core::sc_spawn_options o;

        o.set_stack_size(1 << 20);
        sc_core::sc_spawn(sc_bind(&thread_body, fn, ctx), name, &o);
        live_threads++;
        return 0;
    } catch (const std::exception &e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown SystemC exception in sck_thread_new");
    }
}

extern "C" void sck_wait_ps(uint64_t delay_ps)
{
    // Called from inside an SC_THREAD; SystemC only throws here on kernel
    // misuse (a bug), which must not unwind into C frames.
    try {
        sc_core::wait(sc_core::sc_time((double)delay_ps, sc_core::SC_PS));
    } catch (...) {
        sim_assert_fail("sck_wait_ps outside a SystemC thread", __FILE__,
                        __LINE__);
    }
}

extern "C" sck_event *sck_event_new(const char *name, sck_event_fn fn,
                                    void *ctx)
{
    try {
        sck_event *e = new sck_event(name);
        sc_core::sc_spawn_options o;

        e->fn = fn;
        e->ctx = ctx;
        o.spawn_method();
        o.dont_initialize();
        o.set_sensitivity(&e->ev);
        sc_core::sc_spawn(sc_bind(&event_body, e), name, &o);
        events.push_back(e);
        return e;
    } catch (const std::exception &ex) {
        fail(ex.what());
        return nullptr;
    } catch (...) {
        fail("unknown SystemC exception in sck_event_new");
        return nullptr;
    }
}

extern "C" int sck_event_notify(sck_event *ev, uint64_t delay_ps)
{
    try {
        ev->ev.notify(sc_core::sc_time((double)delay_ps, sc_core::SC_PS));
        return 0;
    } catch (const std::exception &e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown SystemC exception in sck_event_notify");
    }
}

extern "C" void sck_wait_event(sck_event *ev)
{
    try {
        sc_core::wait(ev->ev);
    } catch (...) {
        sim_assert_fail("sck_wait_event outside a SystemC thread", __FILE__,
                        __LINE__);
    }
}

extern "C" int sck_run(uint64_t duration_ps)
{
    try {
        sc_core::sc_start(sc_core::sc_time((double)duration_ps,
                                           sc_core::SC_PS));
        return 0;
    } catch (const std::exception &e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown SystemC exception in sck_run");
    }
}

extern "C" int sck_idle(void)
{
    try {
        return live_threads == 0 && !sc_core::sc_pending_activity();
    } catch (...) {
        return 1;
    }
}

extern "C" uint64_t sck_now_ps(void)
{
    try {
        return (uint64_t)sc_core::sc_time_stamp().value();
    } catch (...) {
        return 0;
    }
}

extern "C" int sck_stop(void)
{
    try {
        sc_core::sc_stop();
        return 0;
    } catch (const std::exception &e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown SystemC exception in sck_stop");
    }
}

extern "C" void sck_shutdown(void)
{
    // SystemC has no supported way to destroy its kernel, and its methods
    // stay sensitive to our events until exit, so the events are kept.
    sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING,
                                            sc_core::SC_DO_NOTHING);
}

extern "C" const char *sck_last_error(void)
{
    return last_error.c_str();
}
