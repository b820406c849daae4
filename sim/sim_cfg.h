/*
 * sim_cfg.h - the config registry.
 *
 * Every key is declared exactly once, in a table owned by the component that
 * reads it (a `*_cfg.def` X-macro file expanded into a struct sim_cfg_key
 * array).  A section is an instance of such a table ("cache/l1d" and
 * "cache/l2" both use the cache table) with its own defaults.  After all
 * sections are declared, INI files are loaded (inih), then command-line
 * overrides ("section.key=value") are applied; each value remembers the file
 * and line it came from.  Unknown sections and keys, malformed or
 * out-of-range values and missing include files are user errors: the loader
 * returns -SIM_ECFG and sim_cfg_errmsg() names file, line, section and key,
 * with a "did you mean" suggestion for near misses.
 *
 * INI syntax (inih): "[section/sub]" headers, "key = value" lines, ';' or '#'
 * comments.  "include = path" (at top level or in any section) loads another
 * file, relative to the including file's directory, at that point; later
 * assignments override earlier ones.  Include depth is limited (cycles are an
 * error).
 *
 * Values: U64 accepts decimal or 0x hex, with an optional binary suffix
 * K, M, G, T (x1024^n) for keys whose unit is "B"; F64 any strtod number;
 * BOOL true/false/yes/no/on/off/1/0; ENUM one of the '|'-separated choices;
 * STR any text.  Ranges [min, max] apply to U64 and F64.
 */
#ifndef SIM_CFG_H
#define SIM_CFG_H

#include <stdio.h>

#include "sim_types.h"

enum sim_cfg_type {
    SIM_CFG_U64,    /* stored as uint64_t */
    SIM_CFG_F64,    /* stored as double */
    SIM_CFG_BOOL,   /* stored as bool */
    SIM_CFG_ENUM,   /* stored as unsigned: index into choices */
    SIM_CFG_STR,    /* stored as const char *, owned by the registry */
};

/* One declared key.  Tables end with an entry whose name is NULL. */
struct sim_cfg_key {
    const char *name;       /* key within its section */
    enum sim_cfg_type type;
    size_t offset;          /* offsetof(component cfg struct, member) */
    const char *def;        /* default value, as text */
    double min;             /* U64/F64 inclusive range */
    double max;
    const char *unit;       /* "B", "cycles", "entries", "" ... */
    const char *choices;    /* ENUM: "lru|srrip|random"; else NULL */
    const char *desc;       /* one line, shown by `vtsim config --keys` */
};

struct sim_cfg;

/*
 * Optional per-section validator, run by sim_cfg_load_struct() after the
 * section's values are parsed into *loaded.  It reports a problem with
 * sim_cfg_error(cfg, section, key, ...) and returns -SIM_ECFG.
 */
typedef int (*sim_cfg_validate_fn)(struct sim_cfg *cfg, const char *section,
                                   const void *loaded);

struct sim_cfg *sim_cfg_new(void);
void sim_cfg_free(struct sim_cfg *cfg);

/*
 * Declare section `section` as an instance of `keys`.  `defaults` is NULL or
 * a NULL-terminated list of "key=value" strings overriding the table's
 * defaults for this instance (e.g. {"size=32K", "ways=8", NULL}).
 * Returns 0, -SIM_EINVAL if the section exists or a default names no key or
 * does not parse (a bug in the caller), -SIM_ENOMEM.
 */
int sim_cfg_declare(struct sim_cfg *cfg, const char *section,
                    const char *desc, const struct sim_cfg_key *keys,
                    const char *const *defaults,
                    sim_cfg_validate_fn validate);

/* Load an INI file (and its includes) on top of what is there. */
int sim_cfg_load_file(struct sim_cfg *cfg, const char *path);

/* Apply "section.key=value" (the key is after the last '.'). `origin` names
 * where it came from in messages, e.g. "-o #2". */
int sim_cfg_override(struct sim_cfg *cfg, const char *assignment,
                     const char *origin);

/*
 * Parse every key of `section` into the struct at `out` (members located by
 * each key's offset), then run the section's validator.  Returns 0 or
 * -SIM_ECFG.  Strings stay valid until sim_cfg_free().
 */
int sim_cfg_load_struct(struct sim_cfg *cfg, const char *section, void *out);

/* Raw accessors (return the resolved text, NULL if undeclared). */
const char *sim_cfg_get(const struct sim_cfg *cfg, const char *section,
                        const char *key);

/* Record an error about section.key (location taken from where its value
 * was set; "default" when never set).  Always returns -SIM_ECFG. */
int sim_cfg_error(struct sim_cfg *cfg, const char *section, const char *key,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Message of the last error: "FILE:LINE: [section] key: what (did you mean
 * 'x'?)". */
const char *sim_cfg_errmsg(const struct sim_cfg *cfg);

/* Visit every resolved key in declaration order.  `source` is "default",
 * "FILE:LINE" or the override origin. */
typedef void (*sim_cfg_visit_fn)(void *ctx, const char *section,
                                 const char *key, const char *value,
                                 const char *source);
void sim_cfg_foreach(const struct sim_cfg *cfg, sim_cfg_visit_fn fn,
                     void *ctx);

/* `vtsim config --keys`: every section and key with type, unit, range,
 * choices, default and description. */
void sim_cfg_print_keys(const struct sim_cfg *cfg, FILE *out);

/* `vtsim config --dump`: the resolved config as a loadable INI file, each
 * value followed by a comment naming its source. */
void sim_cfg_dump(const struct sim_cfg *cfg, FILE *out);

/* C type of each config type, for structs generated from *_cfg.def. */
#define SIM_CFG_CTYPE_U64  uint64_t
#define SIM_CFG_CTYPE_F64  double
#define SIM_CFG_CTYPE_BOOL bool
#define SIM_CFG_CTYPE_ENUM unsigned
#define SIM_CFG_CTYPE_STR  const char *

/*
 * Expand a *_cfg.def row into a struct sim_cfg_key initializer:
 *   #define CACHE_CFG(n, t, m, d, lo, hi, u, ch, desc) \
 *       SIM_CFG_KEY(struct cache_cfg, n, t, m, d, lo, hi, u, ch, desc)
 */
#define SIM_CFG_KEY(st, n, t, m, d, lo, hi, u, ch, desc)                  \
    { #n, SIM_CFG_##t, offsetof(st, m), (d), (lo), (hi), (u), (ch), (desc) },

/* Terminator of a key table. */
#define SIM_CFG_END { NULL, SIM_CFG_U64, 0, NULL, 0, 0, NULL, NULL, NULL }

#endif /* SIM_CFG_H */
