/*
 * words.c - the tables of the five-haves heuristics.
 */
#include "zg/words.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Phrases with a numeral character that do not count anything. */
const char *const zg_words_not_quantities[] = {
	"进一步", "统一", "一些", "一定", "一般", "一律", "一直", "一切",
	"一致", "一并", "一起", "一体", "一旦", "一贯", "一道", "一如既往",
	"万一", "唯一", "同一", "专一", "单一", "第一时间", "一线", "一把手",
	"一事一议", "一站式", "一对一", "一网通办", "一次性告知", "三公",
	"千方百计", "百姓", "万家", "十分", "一方面", "两手抓", "零距离",
	"五个有", "一刀切", "一批", "一系列", "一流", "千家万户",
	"一心一意", "万无一失", "一是", "二是", "三是", "四是", "五是",
	"两委", "三务公开", "一村一策", "一户一档", "一事一档", "一人一档",
	NULL,
};

/* Placeholders that leave an owner unnamed wherever they appear. */
const char *const zg_words_vague_anywhere[] = {
	"相关部门", "有关部门", "相关单位", "有关单位", "各单位", "各部门",
	"各股室", "各科室", "相关股室", "有关股室", "相关科室", "有关科室",
	"相关领导", "有关领导", "各乡镇", "各村", "相关人员", "有关人员",
	"相关负责人", "待定", "待明确", "待确定", "另行确定", "另行通知",
	"××", "XX某", "xx某",
	"另定", "未定", "未明确", "不详", "TBD", "tbd", "N/A", "n/a", NULL,
};

/* Values that are vague only when they are all there is. */
const char *const zg_words_vague_whole[] = {
	"无", "暂无", "没有", "空", "略", "领导", "分管领导", "主要领导",
	"分管副局长", "主管副局长", "分管副镇长", "分管副乡长", "主要负责人",
	"专人", "经办人", "负责人", "责任人",
	"工作人员", "全体", "全体人员", "某某", "xx", "XX", "-", "--", "/",
	"?", "？", "…", "...", NULL,
};

/* Forms of result that someone can check. */
const char *const zg_words_outcome_forms[] = {
	"报告", "照片", "图片", "影像", "视频", "录像", "录音", "声像",
	"台账", "数据", "统计", "报表", "记录", "纪要", "名册", "花名册",
	"通知", "方案", "文件", "验收", "截图", "合同", "协议", "发票",
	"清单", "证明", "证书", "档案", "公示", "回执", "批复", "凭证",
	"一览表", "登记表", "汇总表", "明细表", "总结", "简报", "复函",
	NULL,
};

/* Full-width digits ０-９ and the Chinese numerals (formal ones too). */
static const char *const numerals[] = {
	"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百",
	"千", "万", "亿", "两", "〇", "零", "半", "０", "１", "２", "３",
	"４", "５", "６", "７", "８", "９", "壹", "贰", "叁", "肆", "伍",
	"陆", "柒", "捌", "玖", "拾", "佰", "仟", NULL,
};

/*
 * A set phrase stops being one when a measure follows it: 三公 (the three
 * public expenses) but 三公里 (three kilometres), 十分 (very) but 十分钟.
 */
static const char *const measures_after[] = {
	"里", "斤", "顷", "尺", "钟", "之", NULL,
};

static bool measure_at(const char *p)
{
	for (size_t i = 0; measures_after[i]; i++)
		if (strncmp(p, measures_after[i], strlen(measures_after[i])) == 0)
			return true;
	return false;
}

static size_t char_length(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Length of the set phrase starting at p, or 0. */
static size_t phrase_at(const char *p)
{
	size_t best = 0;
	for (size_t i = 0; zg_words_not_quantities[i]; i++) {
		size_t n = strlen(zg_words_not_quantities[i]);
		if (n > best && strncmp(p, zg_words_not_quantities[i], n) == 0 &&
		    !measure_at(p + n))
			best = n;
	}
	return best;
}

bool zg_words_has_quantity(const char *s)
{
	/* No set phrase holds an ASCII digit: one is a quantity at once. */
	if (strpbrk(s, "0123456789"))
		return true;
	const char *p = s;
	while (*p) {
		size_t skip = phrase_at(p);
		if (skip) {
			p += skip;
			continue;
		}
		if (*p >= '0' && *p <= '9')
			return true;
		for (size_t i = 0; numerals[i]; i++) {
			size_t n = strlen(numerals[i]);
			if (strncmp(p, numerals[i], n) == 0)
				return true;
		}
		size_t n = char_length((unsigned char)*p);
		for (size_t k = 0; k < n && *p; k++)
			p++;
	}
	return false;
}

static bool is_space(const char *p, size_t *n)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
		*n = 1;
		return true;
	}
	if (strncmp(p, "\xE3\x80\x80", 3) == 0) {	/* ideographic space */
		*n = 3;
		return true;
	}
	return false;
}

const char *zg_words_vague_owner(const char *s)
{
	if (!s)
		return NULL;
	/*
	 * The bytes s holds: a phrase with a byte s lacks is not in it, so
	 * most phrases are passed over without a search (this runs on three
	 * fields of every item).
	 */
	uint64_t has[4] = { 0 };
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		has[*u >> 6] |= (uint64_t)1 << (*u & 63);
	for (size_t i = 0; zg_words_vague_anywhere[i]; i++) {
		const unsigned char *w =
			(const unsigned char *)zg_words_vague_anywhere[i];
		bool maybe = true;
		for (size_t k = 0; maybe && w[k] && k < 3; k++)
			maybe = has[w[k] >> 6] >> (w[k] & 63) & 1;
		if (maybe && strstr(s, zg_words_vague_anywhere[i]))
			return zg_words_vague_anywhere[i];
	}
	/* Compare the value without its surrounding blanks. */
	size_t n;
	while (*s && is_space(s, &n))
		s += n;
	size_t len = strlen(s);
	while (len > 0) {
		size_t k = len >= 3 && strncmp(s + len - 3, "\xE3\x80\x80", 3) == 0 ? 3 : 1;
		if (k == 1 && !(s[len - 1] == ' ' || s[len - 1] == '\t' ||
				s[len - 1] == '\n' || s[len - 1] == '\r'))
			break;
		len -= k;
	}
	if (len == 0)
		return "";
	for (size_t i = 0; zg_words_vague_whole[i]; i++)
		if (strlen(zg_words_vague_whole[i]) == len &&
		    strncmp(s, zg_words_vague_whole[i], len) == 0)
			return zg_words_vague_whole[i];
	return NULL;
}

const char *zg_words_checkable_outcome(const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; zg_words_outcome_forms[i]; i++)
		if (strstr(s, zg_words_outcome_forms[i]))
			return zg_words_outcome_forms[i];
	return NULL;
}
