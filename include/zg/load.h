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

/* Types root as a ledger, as above. */
struct zg_ledger_doc *zg_load_ledger(struct zg_arena *arena, const char *file,
				     const struct zg_node *root,
				     struct zg_diags *diags);

#endif
