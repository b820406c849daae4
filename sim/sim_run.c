/*
 * sim_run.c - `vtsim run`: build the contexts, warm them up, simulate the
 * measured region as SystemC threads, and record everything in the results
 * database.
 *
 * Each context is a SystemC thread that runs `run.quantum` accesses ahead of
 * SystemC time, then waits for the cycles they took (loosely timed,
 * temporally decoupled).  The main program advances SystemC in slices of
 * about a quarter second of wall time, printing progress and watching for
 * SIGINT/SIGTERM between slices; an interrupted run commits what it has,
 * takes a final stats snapshot, and is marked 'interrupted'.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "sck.h"
#include "sim_cli.h"
#include "sim_db.h"
#include "sim_err.h"
#include "sim_ia64.h"
#include "sim_machine.h"
#include "sim_x86.h"

static volatile sig_atomic_t sim_run_stop;

static void sim_run_on_signal(int sig)
{
    (void)sig;
    sim_run_stop = 1;
}

struct sim_run_thread {
    struct sim_context *c;
    const struct sim_machine_cfg *mc;
    double ps_per_cycle;
    uint64_t done;              /* measured accesses completed */
    bool finished;
    /* Counters at the end of warm-up, for the measured-region summary. */
    struct sim_context_stats base;
    struct ptw_stats pbase;
};

static void sim_run_thread_fn(void *arg)
{
    struct sim_run_thread *t = arg;
    const struct wl_cfg *wl = &t->mc->wl;
    uint64_t quantum = t->mc->run.quantum;

    while (t->done < wl->accesses && !sim_run_stop) {
        uint64_t n = wl->accesses - t->done;
        uint64_t cyc = 0;
        uint64_t i;

        if (n > quantum) {
            n = quantum;
        }
        for (i = 0; i < n; i++) {
            cyc += sim_context_step(t->c, wl);
        }
        t->done += n;
        sim_assert_cycle = t->c->st.cycles;
        sck_wait_ps((uint64_t)((double)cyc * t->ps_per_cycle + 0.5));
    }
    t->finished = true;
}

static double sim_run_wall(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char run_usage[] =
    "usage: vtsim run [CONFIG] [--image IMAGE] [-o section.key=value]...\n"
    "                 [--db PATH] [-q]\n"
    "\n"
    "Simulate the machine and workload of CONFIG (built-in defaults when\n"
    "omitted; see `vtsim config --keys`) and write one SQLite results\n"
    "database: PATH, or results/<CONFIG name>.db (an existing file there is\n"
    "replaced).  Each mode listed in workload.mode runs as its own context\n"
    "(cpu0, cpu1, ...) on an identical machine.\n"
    "\n"
    "With --image, the machine runs an x86 image instead (Multiboot ELF32 or\n"
    "ELF64, as `qemu-system-x86_64 -kernel` takes): the guest's COM1 output\n"
    "goes to [x86] serial (stdout), and the exit status is the guest's\n"
    "isa-debug-exit status (value << 1) | 1, or 4 for a triple fault, 6 for\n"
    "a halt nothing can wake, 8 at [x86] max_insns.  The database defaults\n"
    "to results/<IMAGE name>.db; the summary goes to stderr.\n"
    "An ELF64 IA-64 image (e_machine 50) runs on the IA-64 platform\n"
    "(sim/sim_ia64.h, sections [ia64] and [vti]): console port output goes\n"
    "to stdout, the exit status is (value written to the exit port << 1) |\n"
    "1, or 4 for a machine check or an undefined PAL outcome, 8 at [ia64]\n"
    "max_insns.  Without --image, the image named by [x86] image or [ia64]\n"
    "image runs (at most one of them may be set).\n"
    "\n"
    "  --image IMAGE         run an x86 or IA-64 image\n"
    "  -o section.key=value  override a config value (repeatable)\n"
    "  --db PATH             where to write the database\n"
    "  -q, --quiet           no progress line and no summary\n"
    "\n"
    "SIGINT/SIGTERM end the run early: the database keeps every committed\n"
    "row and says status 'interrupted'; exit status 130.\n";

/* results/<basename of the config or image without .ini/.elf>.db */
static void sim_run_default_db(const char *config, char *out, size_t len)
{
    const char *base = "default";
    size_t n;

    if (config != NULL) {
        const char *slash = strrchr(config, '/');

        base = slash != NULL ? slash + 1 : config;
    }
    n = strlen(base);
    if (n > 4 && (strcmp(base + n - 4, ".ini") == 0 ||
                  strcmp(base + n - 4, ".elf") == 0)) {
        n -= 4;
    }
    snprintf(out, len, "results/%.*s.db", (int)n, base);
}

static int sim_run_mkdir_for(const char *path)
{
    char dir[4096];
    char *slash;

    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash == NULL) {
        return 0;
    }
    *slash = '\0';
    if (dir[0] == '\0' || mkdir(dir, 0777) == 0 || errno == EEXIST) {
        return 0;
    }
    return -1;
}

static void sim_run_summary(struct sim_context *ctx,
                            const struct sim_run_thread *th, unsigned n)
{
    unsigned i;
    struct rusage ru;

    printf("%-6s %-7s %12s %10s %10s %10s %12s\n", "ctx", "mode",
           "accesses", "walks", "cyc/walk", "refs/walk", "cyc/access");
    for (i = 0; i < n; i++) {
        const struct sim_context *c = &ctx[i];
        const struct ptw_stats *p = &c->mmu.ptw.st;
        const struct ptw_stats *pb = &th[i].pbase;
        uint64_t walks = p->walks - pb->walks;
        uint64_t acc = c->st.accesses - th[i].base.accesses;
        double w = walks ? (double)walks : 1.0;
        double a = acc ? (double)acc : 1.0;

        printf("%-6s %-7s %12" PRIu64 " %10" PRIu64 " %10.1f %10.2f %12.1f\n",
               c->name, ptw_mode_name[c->mode], acc, walks,
               (double)(p->cycles - pb->cycles) / w,
               (double)(p->refs - pb->refs) / w,
               (double)(c->st.cycles - th[i].base.cycles) / a);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("(measured region, warm-up excluded; peak RSS %.1f MiB)\n",
           (double)ru.ru_maxrss / 1024.0);
}

/* ------------------------------------------------------------------ */
/* x86 images                                                          */
/* ------------------------------------------------------------------ */

struct sim_img_thread {
    struct sim_x86 *s;
    double ps_per_cycle;
    uint64_t quantum;
    unsigned stop;              /* enum sim_x86_stop */
    bool finished;
    sck_event *timer;           /* the local APIC timer */
};

/* The local APIC timer's event: the halted core's thread waits on it;
 * firing needs no action of its own. */
static void sim_img_timer_fn(void *ctx, uint64_t now_ps)
{
    (void)ctx;
    (void)now_ps;
}

/* The core runs `run.quantum` instructions ahead of SystemC time, then
 * waits for the cycles they took; halted, it sleeps until the APIC
 * timer's event. */
static void sim_img_thread_fn(void *arg)
{
    struct sim_img_thread *t = arg;

    while (!sim_run_stop) {
        uint64_t c0 = t->s->st.cycles;
        unsigned st = sim_x86_run(t->s, t->quantum);

        sck_wait_ps((uint64_t)((double)(t->s->st.cycles - c0) *
                               t->ps_per_cycle + 0.5));
        if (st == SIM_X86_WAITING) {
            /* Halted: the core sleeps until the APIC timer's event. */
            sck_event_notify(t->timer,
                             (uint64_t)((double)(t->s->wake_at -
                                                 t->s->st.cycles) *
                                        t->ps_per_cycle + 0.5));
            sck_wait_event(t->timer);
            sim_x86_wake(t->s);
            continue;
        }
        if (st != SIM_X86_RUNNING) {
            t->stop = st;
            break;
        }
    }
    t->finished = true;
}

struct sim_img_unimpl {
    struct sim_stats *stats;
    unsigned kinds;
    uint64_t total;
};

/* Each unimplemented mnemonic the guest hit becomes a stat
 * cpu0.unimpl.<mnemonic> and a line on stderr. */
static void sim_img_unimpl(void *ctx, const char *mnemonic,
                           const uint64_t *count)
{
    struct sim_img_unimpl *u = ctx;
    char obj[64];
    struct sim_stat_decl d;

    d.metric = mnemonic;
    d.unit = "insns";
    d.desc = "executions refused with #UD (not implemented by vtsim)";
    d.p = count;
    (void)sim_stat_counters(u->stats, "cpu0.unimpl", &d, 1);
    snprintf(obj, sizeof(obj), "%s", mnemonic);
    fprintf(stderr, "vtsim: guest executed unimplemented instruction "
            "'%s' %" PRIu64 " time(s) (#UD in the guest)\n", obj, *count);
    u->kinds++;
    u->total += *count;
}

/*
 * Run SystemC in slices until the image thread sets *finished or a signal
 * asks to stop, adapting the slice to about 0.1-0.5 s of wall time and
 * printing progress (`unit` retired, cycles, rate) on stderr.  *elapsed
 * gets the wall time.  Returns 0, or 1 when SystemC failed (reported).
 */
static int sim_run_image_slices(const volatile bool *finished, bool progress,
                                const char *unit, const uint64_t *done,
                                const uint64_t *cycles, double *elapsed)
{
    uint64_t slice_ps = 1000000;        /* 1 us of simulated time */
    double t0 = sim_run_wall(), last = 0, el;
    int rc = 0;

    while (!*finished) {
        double s0 = sim_run_wall();
        double dt;

        if (sck_run(slice_ps) != 0) {
            fprintf(stderr, "vtsim: error: SystemC: %s\n", sck_last_error());
            rc = 1;
            break;
        }
        dt = sim_run_wall() - s0;
        if (dt < 0.1 && slice_ps < (UINT64_MAX >> 2)) {
            slice_ps *= 2;
        } else if (dt > 0.5 && slice_ps > 1000) {
            slice_ps /= 2;
        }
        if (progress && sim_run_wall() - last > 0.25) {
            el = sim_run_wall() - t0;
            last = sim_run_wall();
            fprintf(stderr, "\rvtsim: %" PRIu64 " %s, %" PRIu64
                    " cycles, %.1f million/s, %.1f s ", *done, unit, *cycles,
                    el > 0 ? (double)*done / el / 1e6 : 0.0, el);
            fflush(stderr);
        }
        if (sim_run_stop && !*finished) {
            break;
        }
    }
    *elapsed = sim_run_wall() - t0;
    if (progress) {
        fputc('\n', stderr);
    }
    return rc;
}

/*
 * `vtsim run --image IMAGE`: run the loaded image under SystemC until
 * it writes isa-debug-exit, triple-faults, halts for good, reaches
 * [x86] max_insns or is interrupted.  Returns the exit status.
 */
static int sim_run_image(struct sim_db *db, const char *dbpath,
                         const struct sim_machine_cfg *mc,
                         struct sim_x86 *s, struct sim_stats *stats,
                         const char *image, bool quiet, bool progress)
{
    struct sim_img_thread th;
    struct sim_img_unimpl un;
    const char *status = "complete";
    char desc[256];
    double el;
    int exit_code = 0;
    int rc;

    memset(&th, 0, sizeof(th));
    /* Walks and exits are traced from here on (the platform was built
     * before the database existed). */
    s->dmmu.ptw.p.trace = sim_db_trace(db);
    s->immu.ptw.p.trace = sim_db_trace(db);
    s->trace = sim_db_trace(db);
    snprintf(desc, sizeof(desc), "x86 image %s (%s, entry %#" PRIx64
             "), core model %s", image,
             s->image.kind == SIM_IMAGE_ELF64 ? "ELF64" : "Multiboot",
             s->image.entry, s->timing ? "inorder" : "functional");
    if (sim_db_context(db, 0, "native", 4, 0, desc) != 0 ||
        sim_db_snapshot(db, stats, "start", 0) != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, sim_db_errmsg(db));
        sim_db_end_run(db, "failed", 0);
        return 1;
    }

    th.s = s;
    th.ps_per_cycle = 1000.0 / mc->cpu.freq_ghz;
    th.quantum = mc->run.quantum;
    signal(SIGINT, sim_run_on_signal);
    signal(SIGTERM, sim_run_on_signal);
    if (sck_init() != 0 ||
        (th.timer = sck_event_new("cpu0.apic.timer", sim_img_timer_fn,
                                  NULL)) == NULL ||
        sck_thread_new("cpu0", sim_img_thread_fn, &th) != 0) {
        fprintf(stderr, "vtsim: error: SystemC: %s\n", sck_last_error());
        sim_db_end_run(db, "failed", 0);
        return 1;
    }
    if (sim_run_image_slices(&th.finished, progress, "instructions",
                             &s->st.insns, &s->st.cycles, &el) != 0) {
        status = "failed";
        exit_code = 1;
    }
    if (s->serial != NULL) {
        fflush(s->serial);
    }
    if (exit_code == 0) {
        if (!th.finished || sim_run_stop) {
            status = "interrupted";
            exit_code = 130;
        } else {
            switch (th.stop) {
            case SIM_X86_EXITED:
                exit_code = s->dbg.status;
                break;
            case SIM_X86_SHUTDOWN:
                status = "triple-fault";
                exit_code = SIM_EXIT_TRIPLE;
                break;
            case SIM_X86_HALTED:
                status = "halted";
                exit_code = SIM_EXIT_HALTED;
                break;
            default:
                status = "insn-limit";
                exit_code = SIM_EXIT_LIMIT;
                break;
            }
        }
    }
    sim_x86_finish(s);
    memset(&un, 0, sizeof(un));
    un.stats = stats;
    sim_x86_foreach_unimpl(s, sim_img_unimpl, &un);
    rc = sim_db_snapshot(db, stats,
                         strcmp(status, "interrupted") == 0 ? status
                                                             : "roi-end",
                         s->st.cycles);
    if (rc == 0) {
        rc = sim_db_end_run(db, status, s->st.cycles);
    }
    if (rc != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, sim_db_errmsg(db));
        exit_code = 1;
    }
    if (!quiet) {
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr, "vtsim: %s: %s after %" PRIu64 " instructions, %"
                PRIu64 " cycles (IPC %.2f); %.2f s, %.1f MIPS, peak RSS "
                "%.1f MiB\n", image, sim_x86_stop_name[th.stop],
                s->st.insns, s->st.cycles,
                s->st.cycles ? (double)s->st.insns / (double)s->st.cycles
                             : 0.0,
                el, el > 0 ? (double)s->st.insns / el / 1e6 : 0.0,
                (double)ru.ru_maxrss / 1024.0);
        fprintf(stderr, "vtsim: results: %s (%s, exit status %d)\n", dbpath,
                status, exit_code);
    }
    sck_shutdown();
    return exit_code;
}

/* ------------------------------------------------------------------ */
/* IA-64 images                                                        */
/* ------------------------------------------------------------------ */

struct sim_ia64_thread {
    struct sim_ia64 *s;
    double ps_per_cycle;
    uint64_t quantum;
    unsigned stop;              /* enum sim_ia64_stop */
    bool finished;
};

/* The core runs `run.quantum` slots ahead of SystemC time, then waits
 * for the cycles they took. */
static void sim_ia64_thread_fn(void *arg)
{
    struct sim_ia64_thread *t = arg;

    while (!sim_run_stop) {
        uint64_t c0 = t->s->st.cycles;
        unsigned st = sim_ia64_run(t->s, t->quantum);

        sim_assert_cycle = t->s->st.cycles;
        sck_wait_ps((uint64_t)((double)(t->s->st.cycles - c0) *
                               t->ps_per_cycle + 0.5));
        if (st != SIM_IA64_RUNNING) {
            t->stop = st;
            break;
        }
    }
    t->finished = true;
}

/* `vtsim run --image IMAGE` for an IA-64 image: as sim_run_image. */
static int sim_run_ia64_image(struct sim_db *db, const char *dbpath,
                              const struct sim_machine_cfg *mc,
                              struct sim_ia64 *s, struct sim_stats *stats,
                              const char *image, bool quiet, bool progress)
{
    struct sim_ia64_thread th;
    const char *status = "complete";
    char desc[256];
    double el;
    int exit_code = 0;
    int rc;

    memset(&th, 0, sizeof(th));
    s->trace = sim_db_trace(db);
    snprintf(desc, sizeof(desc), "IA-64 image %s (ELF64, entry %#" PRIx64
             "), VT-i PAL model", image, s->image.entry);
    if (sim_db_context(db, 0, "native", 0, 0, desc) != 0 ||
        sim_db_snapshot(db, stats, "start", 0) != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, sim_db_errmsg(db));
        sim_db_end_run(db, "failed", 0);
        return 1;
    }
    th.s = s;
    th.ps_per_cycle = 1000.0 / mc->cpu.freq_ghz;
    th.quantum = mc->run.quantum;
    signal(SIGINT, sim_run_on_signal);
    signal(SIGTERM, sim_run_on_signal);
    if (sck_init() != 0 ||
        sck_thread_new("cpu0", sim_ia64_thread_fn, &th) != 0) {
        fprintf(stderr, "vtsim: error: SystemC: %s\n", sck_last_error());
        sim_db_end_run(db, "failed", 0);
        return 1;
    }
    if (sim_run_image_slices(&th.finished, progress, "slots",
                             &s->st.insns, &s->st.cycles, &el) != 0) {
        status = "failed";
        exit_code = 1;
    }
    if (s->serial != NULL) {
        fflush(s->serial);
    }
    if (exit_code == 0) {
        if (!th.finished || sim_run_stop) {
            status = "interrupted";
            exit_code = 130;
        } else {
            switch (th.stop) {
            case SIM_IA64_EXITED:
                exit_code = (int)(((s->st.exit_status << 1) | 1) & 0xff);
                break;
            case SIM_IA64_MCHECK:
                status = "machine-check";
                exit_code = SIM_EXIT_TRIPLE;
                break;
            case SIM_IA64_PAL_UNDEFINED:
                status = "pal-undefined";
                exit_code = SIM_EXIT_TRIPLE;
                fprintf(stderr, "vtsim: %s: %s\n", image,
                        s->pal_why != NULL ? s->pal_why : "PAL");
                break;
            default:
                status = "insn-limit";
                exit_code = SIM_EXIT_LIMIT;
                break;
            }
        }
    }
    sim_ia64_finish(s);
    rc = sim_db_snapshot(db, stats,
                         strcmp(status, "interrupted") == 0 ? status
                                                             : "roi-end",
                         s->st.cycles);
    if (rc == 0) {
        rc = sim_db_end_run(db, status, s->st.cycles);
    }
    if (rc != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, sim_db_errmsg(db));
        exit_code = 1;
    }
    if (!quiet) {
        fprintf(stderr, "vtsim: %s: %s after %" PRIu64 " slots, %" PRIu64
                " cycles, %" PRIu64 " virtualization exits; %.2f s\n",
                image, sim_ia64_stop_name[th.stop], s->st.insns,
                s->st.cycles, s->st.virt_faults, el);
        fprintf(stderr, "vtsim: results: %s (%s, exit status %d)\n", dbpath,
                status, exit_code);
    }
    sck_shutdown();
    return exit_code;
}

int sim_cmd_run(int argc, char **argv)
{
    const char *config = NULL;
    const char *image = NULL;
    struct sim_x86 *x86 = NULL;
    struct sim_ia64 *ia64 = NULL;
    struct sim_stats *img_stats = NULL;
    const char *dbpath = NULL;
    char dbbuf[4096];
    char **ov = calloc((size_t)argc + 1, sizeof(char *));
    int nov = 0;
    bool quiet = false;
    struct sim_cfg *cfg = NULL;
    struct sim_machine_cfg mc;
    struct sim_stats *stats = NULL;
    struct sim_db *db = NULL;
    struct sim_db_opts dbo;
    struct sim_context *ctx = NULL;
    struct sim_run_thread *th = NULL;
    int modes[WL_MAX_MODES];
    const char *bad;
    int nmodes;
    char err[512];
    char cmdline[2048];
    const char *status = "complete";
    bool progress;
    double t0;
    double last_print = 0;
    uint64_t slice_ps;
    uint64_t max_cycles = 0;
    int exit_code = 0;
    int i;
    int rc;

    if (ov == NULL) {
        return 1;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(run_usage, stdout);
            free(ov);
            return 0;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            ov[nov++] = argv[++i];
        } else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2] != '\0') {
            ov[nov++] = argv[i] + 2;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            dbpath = argv[++i];
        } else if (strcmp(argv[i], "--image") == 0 && i + 1 < argc) {
            image = argv[++i];
        } else if (strcmp(argv[i], "-q") == 0 ||
                   strcmp(argv[i], "--quiet") == 0) {
            quiet = true;
        } else if (argv[i][0] != '-' && config == NULL) {
            config = argv[i];
        } else {
            fprintf(stderr, "vtsim run: unexpected argument '%s'\n%s",
                    argv[i], run_usage);
            free(ov);
            return SIM_EXIT_USAGE;
        }
    }

    /* 1. Config: every user error stops here, before any file is written. */
    cfg = sim_cli_load_config(config, nov, ov, &mc);
    free(ov);
    if (cfg == NULL) {
        return SIM_EXIT_USAGE;
    }
    nmodes = wl_parse_modes(mc.wl.mode, modes, &bad);
    if (dbpath == NULL) {
        sim_run_default_db(image != NULL ? image : config, dbbuf,
                           sizeof(dbbuf));
        dbpath = dbbuf;
    }
    if (sim_run_mkdir_for(dbpath) != 0) {
        fprintf(stderr, "vtsim: error: cannot create the directory of %s: "
                "%s\n", dbpath, strerror(errno));
        sim_cfg_free(cfg);
        return SIM_EXIT_USAGE;
    }
    if (image == NULL && mc.x86.image[0] != '\0' &&
        mc.ia64.image[0] != '\0') {
        (void)sim_cfg_error(cfg, "ia64", "image", "[x86] image names an "
                            "image too; set one of them (or give --image)");
        fprintf(stderr, "vtsim: error: %s\n", sim_cfg_errmsg(cfg));
        sim_cfg_free(cfg);
        return SIM_EXIT_USAGE;
    }
    if (image == NULL && mc.x86.image[0] != '\0') {
        image = mc.x86.image;       /* the experiment names its image */
    }
    if (image == NULL && mc.ia64.image[0] != '\0') {
        image = mc.ia64.image;      /* an IA-64 image (checked at load) */
    }
    progress = mc.run.progress == 1 ||
               (mc.run.progress == 0 && isatty(STDERR_FILENO));
    if (quiet) {
        progress = false;
    }

    /* An image that cannot be loaded is a user error too: no database. */
    if (image != NULL) {
        img_stats = sim_stats_new();
        if (img_stats != NULL && sim_ia64_is_image(image)) {
            struct sim_ia64_params ip;

            /* ELF e_machine 50 (EM_IA_64): the IA-64 platform. */
            sim_ia64_params_from_machine(&ip, &mc);
            rc = sim_ia64_new(&ia64, &ip, img_stats, NULL, stdout, err,
                              sizeof(err));
            if (rc == 0) {
                rc = sim_ia64_load(ia64, image, err, sizeof(err));
            }
        } else {
            rc = img_stats == NULL ? -SIM_ENOMEM
                                   : sim_x86_new(&x86, &mc, img_stats, NULL,
                                                 NULL, err, sizeof(err));
            if (rc == 0) {
                rc = sim_x86_load(x86, image, err, sizeof(err));
            }
        }
        if (rc != 0) {
            fprintf(stderr, "vtsim: error: %s\n",
                    img_stats == NULL ? "out of memory" : err);
            sim_ia64_free(ia64);
            sim_x86_free(x86);
            sim_stats_free(img_stats);
            sim_cfg_free(cfg);
            return rc == -SIM_ENOMEM ? 1 : SIM_EXIT_USAGE;
        }
    }

    /* 2. Results database. */
    memset(&dbo, 0, sizeof(dbo));
    dbo.walks = mc.trace.walks;
    dbo.sample_period = mc.trace.sample_period;
    dbo.batch_rows = mc.trace.batch_rows;
    if (sim_db_open(&db, dbpath, &dbo, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, err);
        sim_cfg_free(cfg);
        return SIM_EXIT_USAGE;
    }
    {
        size_t off = 0;

        cmdline[0] = '\0';
        for (i = 0; i < argc && off + 2 < sizeof(cmdline); i++) {
            off += (size_t)snprintf(cmdline + off, sizeof(cmdline) - off,
                                    "%s%s", i ? " " : "vtsim ", argv[i]);
        }
    }
    rc = sim_db_begin_run(db, config, cmdline, mc.wl.seed);
    if (rc == 0) {
        rc = sim_db_write_config(db, cfg);
    }
    if (rc == 0) {
        rc = sim_db_name_table(db, "walk_modes", PTW_MODE__COUNT,
                               ptw_mode_name, ptw_mode_desc);
    }
    if (rc == 0) {
        rc = sim_db_name_table(db, "walk_srcs", PTW_SRC__COUNT, ptw_src_name,
                               ptw_src_desc);
    }
    if (rc == 0) {
        rc = sim_db_name_table(db, "walk_faults", PTW_FAULT__COUNT,
                               ptw_fault_name, ptw_fault_desc);
    }
    if (rc != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath,
                sim_db_errmsg(db));
        goto fail;
    }

    if (image != NULL) {
        exit_code = ia64 != NULL
                        ? sim_run_ia64_image(db, dbpath, &mc, ia64,
                                             img_stats, image, quiet,
                                             progress)
                        : sim_run_image(db, dbpath, &mc, x86, img_stats,
                                        image, quiet, progress);
        sim_db_close(db);
        sim_ia64_free(ia64);
        sim_x86_free(x86);
        sim_stats_free(img_stats);
        sim_cfg_free(cfg);
        return exit_code;
    }

    /* 3. Contexts: tables built, then warmed up (not traced). */
    stats = sim_stats_new();
    ctx = calloc((size_t)nmodes, sizeof(*ctx));
    th = calloc((size_t)nmodes, sizeof(*th));
    if (stats == NULL || ctx == NULL || th == NULL) {
        fprintf(stderr, "vtsim: error: out of memory\n");
        goto fail;
    }
    for (i = 0; i < nmodes; i++) {
        struct sim_context *c = &ctx[i];
        uint64_t k;
        char desc[160];

        rc = sim_context_build(c, &mc, (unsigned)i, modes[i], stats, NULL);
        if (rc != 0) {
            fprintf(stderr, "vtsim: error: building context %d: %s\n", i,
                    sim_strerror(rc));
            goto fail;
        }
        snprintf(desc, sizeof(desc), "%s, %" PRIu64 " guest + %" PRIu64
                 " host table pages", ptw_mode_desc[modes[i]],
                 c->layout.guest_tables, c->layout.host_tables);
        rc = sim_db_context(db, (unsigned)i, ptw_mode_name[modes[i]],
                            c->ctx.glevels,
                            modes[i] == PTW_MODE_NATIVE ? 0 : c->ctx.hlevels,
                            desc);
        if (rc != 0) {
            fprintf(stderr, "vtsim: error: %s: %s\n", dbpath,
                    sim_db_errmsg(db));
            goto fail;
        }
        for (k = 0; k < mc.wl.warmup && !sim_run_stop; k++) {
            (void)sim_context_step(c, &mc.wl);
        }
        c->mmu.ptw.p.trace = sim_db_trace(db);
        th[i].base = c->st;
        th[i].pbase = c->mmu.ptw.st;
        th[i].c = c;
        th[i].mc = &mc;
        th[i].ps_per_cycle = 1000.0 / mc.cpu.freq_ghz;
    }
    if (sim_db_snapshot(db, stats, "warmup-end", 0) != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, sim_db_errmsg(db));
        goto fail;
    }

    /* 4. The measured region under SystemC. */
    signal(SIGINT, sim_run_on_signal);
    signal(SIGTERM, sim_run_on_signal);
    if (sck_init() != 0) {
        fprintf(stderr, "vtsim: error: SystemC: %s\n", sck_last_error());
        goto fail;
    }
    for (i = 0; i < nmodes; i++) {
        if (sck_thread_new(ctx[i].name, sim_run_thread_fn, &th[i]) != 0) {
            fprintf(stderr, "vtsim: error: SystemC: %s\n", sck_last_error());
            goto fail;
        }
    }
    t0 = sim_run_wall();
    slice_ps = 1000000;                 /* 1 us of simulated time */
    for (;;) {
        double s0 = sim_run_wall();
        double dt;
        bool all = true;
        uint64_t done = 0;
        uint64_t total = mc.wl.accesses * (uint64_t)nmodes;

        if (sck_run(slice_ps) != 0) {
            fprintf(stderr, "vtsim: error: SystemC: %s\n", sck_last_error());
            status = "failed";
            exit_code = 1;
            break;
        }
        for (i = 0; i < nmodes; i++) {
            all = all && th[i].finished;
            done += th[i].done;
        }
        /* Aim at ~0.25 s of wall time per slice. */
        dt = sim_run_wall() - s0;
        if (dt < 0.1 && slice_ps < (UINT64_MAX >> 2)) {
            slice_ps *= 2;
        } else if (dt > 0.5 && slice_ps > 1000) {
            slice_ps /= 2;
        }
        if (progress && (all || sim_run_wall() - last_print > 0.25)) {
            double el = sim_run_wall() - t0;

            last_print = sim_run_wall();
            double rate = el > 0 ? (double)done / el : 0.0;

            fprintf(stderr, "\rvtsim: %5.1f%%  %" PRIu64 "/%" PRIu64
                    " accesses  %.2f M/s  %.1f s elapsed, ~%.0f s left ",
                    100.0 * (double)done / (double)total, done, total,
                    rate / 1e6, el,
                    rate > 0 ? (double)(total - done) / rate : 0.0);
            fflush(stderr);
        }
        if (all) {
            break;
        }
        if (sim_run_stop) {
            status = "interrupted";
            exit_code = 130;
            break;
        }
    }
    if (progress) {
        fputc('\n', stderr);
    }
    for (i = 0; i < nmodes && exit_code == 0; i++) {
        if (th[i].done < mc.wl.accesses) {
            status = "interrupted";         /* stopped during a slice */
            exit_code = 130;
        }
    }

    /* 5. Final snapshot and status. */
    for (i = 0; i < nmodes; i++) {
        if (ctx[i].st.cycles > max_cycles) {
            max_cycles = ctx[i].st.cycles;
        }
    }
    rc = sim_db_snapshot(db, stats,
                         strcmp(status, "complete") == 0 ? "roi-end"
                                                         : status,
                         max_cycles);
    if (rc == 0) {
        rc = sim_db_end_run(db, status, max_cycles);
    }
    if (rc != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", dbpath, sim_db_errmsg(db));
        exit_code = 1;
    }
    sim_db_close(db);
    db = NULL;
    if (!quiet) {
        sim_run_summary(ctx, th, (unsigned)nmodes);
        printf("results: %s (%s)\n", dbpath, status);
    } else if (exit_code == 130) {
        fprintf(stderr, "vtsim: interrupted; %s keeps what was committed\n",
                dbpath);
    }
    for (i = 0; i < nmodes; i++) {
        sim_context_free(&ctx[i]);
    }
    free(ctx);
    free(th);
    sim_stats_free(stats);
    sim_cfg_free(cfg);
    sck_shutdown();
    return exit_code;

fail:
    if (db != NULL) {
        sim_db_end_run(db, "failed", 0);
        sim_db_close(db);
    }
    sim_ia64_free(ia64);
    sim_x86_free(x86);
    sim_stats_free(img_stats);
    if (ctx != NULL) {
        for (i = 0; i < nmodes; i++) {
            sim_context_free(&ctx[i]);
        }
    }
    free(ctx);
    free(th);
    sim_stats_free(stats);
    sim_cfg_free(cfg);
    return 1;
}
