/*
 * words.h - the word lists behind the "five haves" (五个有).
 *
 * Whether a task is quantified, an owner specific and an outcome
 * checkable is judged on real Chinese text with the lists in words.c, all
 * in one place and all documented in docs/rules.md, so that a unit that
 * disputes a verdict can see exactly why it was given.
 */
#ifndef ZG_WORDS_H
#define ZG_WORDS_H

#include <stdbool.h>

/*
 * True when s carries a quantity: an Arabic digit, a full-width digit, or
 * a Chinese numeral (一二三四五六七八九十百千万亿两〇零半), once the set
 * phrases that hold a numeral but no quantity (进一步, 统一, 一些 …) are
 * set aside.
 */
bool zg_words_has_quantity(const char *s);

/*
 * The placeholder that makes an owner field vague (相关部门, 待定, TBD …),
 * or NULL when the value names someone.  A whole-value placeholder (无,
 * 领导) only counts when it is the whole value.
 */
const char *zg_words_vague_owner(const char *s);

/*
 * The checkable form named in an outcome (报告, 照片, 台账, 验收 …), or
 * NULL when it names none.
 */
const char *zg_words_checkable_outcome(const char *s);

/* The lists themselves, NULL-terminated, for docs and tests. */
extern const char *const zg_words_not_quantities[];
extern const char *const zg_words_vague_anywhere[];
extern const char *const zg_words_vague_whole[];
extern const char *const zg_words_outcome_forms[];

#endif
