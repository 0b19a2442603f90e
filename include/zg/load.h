/*
 * load.h - typing a parsed tree against the ledger format.
 *
 * One walk over the tree checks every key, shape, enum value, number and
 * date against the format's tables (docs/format.md) and fills the typed
 * records of model.h.  Findings: unknown-key (with the nearest known key),
 * type, required, date, status (a status not in the list).  The walk never
 * stops at the first finding, and a malformed field is left out of the
 * record rather than guessed at.
 */
#ifndef ZG_LOAD_H
#define ZG_LOAD_H

#include "zg/arena.h"
#include "zg/diag.h"
#include "zg/model.h"
#include "zg/tree.h"

#define ZG_RULE_UNKNOWN_KEY "unknown-key"
#define ZG_RULE_REQUIRED "required"
#define ZG_RULE_DATE "date"
#define ZG_RULE_STATUS "status"

/*
 * Types root as zg.yaml.  Returns the record (in arena), or NULL when the
 * root is not a mapping (reported) or on out of memory (diags->oom).
 */
struct zg_config *zg_load_config(struct zg_arena *arena, const char *file,
				 const struct zg_node *root,
				 struct zg_diags *diags);

/* Takes a unit of zg.yaml (whose nodes die after the call): 0, or -1. */
typedef int (*zg_unit_sink)(void *ctx, const struct zg_unit *u);

/*
 * Parses and types zg.yaml from its bytes, handing each unit to add as
 * soon as its entry is read and dropping the entry's nodes, so that the
 * units cost the caller's copies only.  Findings are those of
 * zg_tree_parse and zg_load_config.  Returns the record with no units
 * (or NULL, as zg_load_config); *rc is zg_tree_parse's result.
 * *units_read is false when the units handed on were of a key the loader
 * does not read (a second key for units, after one that held no list):
 * the caller drops them.
 */
struct zg_config *zg_load_config_text(struct zg_arena *arena,
				      const char *file, const char *buf,
				      size_t len, struct zg_diags *diags,
				      zg_unit_sink add, void *ctx, int *rc,
				      bool *units_read);

/* Types root as a ledger, as above. */
struct zg_ledger_doc *zg_load_ledger(struct zg_arena *arena, const char *file,
				     const struct zg_node *root,
				     struct zg_diags *diags);

#endif
