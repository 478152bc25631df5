/* check_analyzer.c - table-driven tests of the analyzer (analysis/).
 *
 * Each row of `cases` gives an input, a language and a first position, and
 * every token expected from it: term, stem, byte range [start, end) in the
 * input, position and flags.  One loop test runs per row, so a failure
 * names its row.  Smaller tables cover cs_analyzer_normalize() and
 * cs_analyzer_stem(); single tests cover languages, early stop and reuse.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "testutil.h"
#include "util.h"

#define STOP CS_TOKEN_STOPWORD
#define ACRO CS_TOKEN_ACRONYM
#define CJK CS_TOKEN_CJK
#define NUM CS_TOKEN_NUMBER
#define MAX_TOKENS 12

typedef struct expected {
    const char *term;
    const char *stem;
    size_t start, end;
    uint32_t position;
    unsigned flags;
} expected_t;

typedef struct tokenize_case {
    const char *name;
    const char *input;
    size_t len;           /* bytes of input (it may hold NUL) */
    const char *language;
    uint32_t first;       /* first position */
    size_t n;             /* tokens expected */
    expected_t tok[MAX_TOKENS];
} tokenize_case_t;

static const tokenize_case_t cases[] = {
    {"ascii word",
     "hello", 5, "english", 0, 1,
     {{"hello", "hello", 0, 5, 0, 0}}},
    {"ascii two words",
     "Hello world", 11, "english", 0, 2,
     {{"hello", "hello", 0, 5, 0, 0},
      {"world", "world", 6, 11, 1, 0}}},
    {"ascii surrounding space",
     "  leading and trailing  ", 24, "english", 0, 3,
     {{"leading", "lead", 2, 9, 0, 0},
      {"and", "and", 10, 13, 1, STOP},
      {"trailing", "trail", 14, 22, 2, 0}}},
    {"empty input",
     "", 0, "english", 0, 0,
     {}},
    {"only whitespace",
     "   \011\012\015 ", 7, "english", 0, 0,
     {}},
    {"single letter stop word",
     "a", 1, "english", 0, 1,
     {{"a", "a", 0, 1, 0, STOP}}},
    {"tabs and line ends",
     "tab\011sep\012newline\015\012crlf\015old", 25, "english", 0, 5,
     {{"tab", "tab", 0, 3, 0, 0},
      {"sep", "sep", 4, 7, 1, 0},
      {"newline", "newlin", 8, 15, 2, 0},
      {"crlf", "crlf", 17, 21, 3, 0},
      {"old", "old", 22, 25, 4, 0}}},
    {"ascii hyphen splits",
     "cyber-security", 14, "english", 0, 2,
     {{"cyber", "cyber", 0, 5, 0, 0},
      {"security", "secur", 6, 14, 1, 0}}},
    {"ascii punctuation splits",
     "word,word;word:word!word?word", 29, "english", 0, 6,
     {{"word", "word", 0, 4, 0, 0},
      {"word", "word", 5, 9, 1, 0},
      {"word", "word", 10, 14, 2, 0},
      {"word", "word", 15, 19, 3, 0},
      {"word", "word", 20, 24, 4, 0},
      {"word", "word", 25, 29, 5, 0}}},
    {"brackets",
     "(brackets) [square] {curly} <angle>", 35, "english", 0, 4,
     {{"brackets", "bracket", 1, 9, 0, 0},
      {"square", "squar", 12, 18, 1, 0},
      {"curly", "cur", 21, 26, 2, 0},
      {"angle", "angl", 29, 34, 3, 0}}},
    {"email address",
     "email@example.org", 17, "english", 0, 3,
     {{"email", "email", 0, 5, 0, 0},
      {"example", "exampl", 6, 13, 1, 0},
      {"org", "org", 14, 17, 2, 0}}},
    {"underscore splits",
     "under_score", 11, "english", 0, 2,
     {{"under", "under", 0, 5, 0, STOP},
      {"score", "score", 6, 11, 1, 0}}},
    {"symbols split",
     "#hashtag $dollar %percent", 25, "english", 0, 3,
     {{"hashtag", "hashtag", 1, 8, 0, 0},
      {"dollar", "dollar", 10, 16, 1, 0},
      {"percent", "percent", 18, 25, 2, 0}}},
    {"letters and digits join",
     "G20 1990s x86", 13, "english", 0, 3,
     {{"g20", "g20", 0, 3, 0, 0},
      {"1990s", "1990s", 4, 9, 1, 0},
      {"x86", "x86", 10, 13, 2, 0}}},
    {"upper case: alone, an acronym",
     "RUSSIA", 6, "english", 0, 1,
     {{"russia", "RUSSIA", 0, 6, 0, ACRO}}},
    {"upper case: a heading is words",
     "THE RUSSIAN FEDERATION", 22, "english", 0, 3,
     {{"the", "the", 0, 3, 0, STOP},
      {"russian", "russian", 4, 11, 1, 0},
      {"federation", "feder", 12, 22, 2, 0}}},
    {"upper case: two acronyms",
     "US-UN talks", 11, "english", 0, 3,
     {{"us", "US", 0, 2, 0, ACRO},
      {"un", "UN", 3, 5, 1, ACRO},
      {"talks", "talk", 6, 11, 2, 0}}},
    {"upper case: too long for an acronym",
     "UNCITRAL", 8, "english", 0, 1,
     {{"uncitral", "uncitr", 0, 8, 0, 0}}},
    {"pronoun us and acronym US",
     "us US", 5, "english", 0, 2,
     {{"us", "us", 0, 2, 0, 0},
      {"us", "US", 3, 5, 1, ACRO}}},
    {"mixed case",
     "CyberSpace", 10, "english", 0, 1,
     {{"cyberspace", "cyberspac", 0, 10, 0, 0}}},
    {"greek case fold",
     "ΣΊΣΥΦΟΣ σίσυφος", 29, "none", 0, 2,
     {{"σισυφοσ", "σισυφοσ", 0, 14, 0, 0},
      {"σισυφοσ", "σισυφοσ", 15, 29, 1, 0}}},
    {"sharp s folds to ss",
     "Straße Strasse", 15, "none", 0, 2,
     {{"strasse", "strasse", 0, 7, 0, 0},
      {"strasse", "strasse", 8, 15, 1, 0}}},
    {"dotted capital I",
     "İstanbul", 9, "none", 0, 1,
     {{"istanbul", "istanbul", 0, 9, 0, 0}}},
    {"titlecase digraph",
     "ǅemal", 6, "none", 0, 1,
     {{"dzemal", "dzemal", 0, 6, 0, 0}}},
    {"cyrillic case fold",
     "Россия РОССИЯ", 25, "none", 0, 2,
     {{"россия", "россия", 0, 12, 0, 0},
      {"россия", "россия", 13, 25, 1, 0}}},
    {"ligature fi",
     "ﬁnance", 8, "english", 0, 1,
     {{"finance", "financ", 0, 8, 0, 0}}},
    {"fullwidth letters",
     "ＡＢＣ", 9, "english", 0, 1,
     {{"abc", "abc", 0, 9, 0, 0}}},
    {"fullwidth digits",
     "２０２１", 12, "english", 0, 1,
     {{"2021", "2021", 0, 12, 0, NUM}}},
    {"fullwidth words",
     "ｈｅｌｌｏ ｗｏｒｌｄ", 31, "english", 0, 2,
     {{"hello", "hello", 0, 15, 0, 0},
      {"world", "world", 16, 31, 1, 0}}},
    {"roman numeral",
     "Ⅻ", 3, "english", 0, 1,
     {{"xii", "xii", 0, 3, 0, 0}}},
    {"superscript digit joins",
     "x² km³", 8, "english", 0, 2,
     {{"x2", "x2", 0, 3, 0, 0},
      {"km3", "km3", 4, 8, 1, 0}}},
    {"vulgar fraction keeps digits",
     "½", 2, "english", 0, 1,
     {{"12", "12", 0, 2, 0, NUM}}},
    {"circled digit",
     "①", 3, "english", 0, 1,
     {{"1", "1", 0, 3, 0, NUM}}},
    {"micro sign",
     "µm", 3, "none", 0, 1,
     {{"μm", "μm", 0, 3, 0, 0}}},
    {"precomposed diacritic",
     "Philémon", 9, "english", 0, 1,
     {{"philemon", "philemon", 0, 9, 0, 0}}},
    {"decomposed diacritic",
     "Phile\u0301mon", 10, "english", 0, 1,
     {{"philemon", "philemon", 0, 10, 0, 0}}},
    {"naive cafe",
     "naïve café", 12, "english", 0, 2,
     {{"naive", "naiv", 0, 6, 0, 0},
      {"cafe", "cafe", 7, 12, 1, 0}}},
    {"angstrom",
     "Ångström", 10, "english", 0, 1,
     {{"angstrom", "angstrom", 0, 10, 0, 0}}},
    {"stroke letters stay",
     "Łódź", 7, "none", 0, 1,
     {{"łodz", "łodz", 0, 7, 0, 0}}},
    {"many combining marks",
     "a\u0301\u0301\u0301", 7, "english", 0, 1,
     {{"a", "a", 0, 7, 0, STOP}}},
    {"mark at word start",
     "\u0301x", 3, "english", 0, 1,
     {{"x", "x", 0, 3, 0, 0}}},
    {"lone mark is no word",
     " \u0301 ", 4, "english", 0, 0,
     {}},
    {"vietnamese",
     "Việt Nam", 10, "none", 0, 2,
     {{"viet", "viet", 0, 6, 0, 0},
      {"nam", "nam", 7, 10, 1, 0}}},
    {"non-breaking hyphen U+2011",
     "Open‑Ended", 12, "english", 0, 2,
     {{"open", "open", 0, 4, 0, 0},
      {"ended", "end", 7, 12, 1, 0}}},
    {"hyphen U+2010",
     "a‐b", 5, "english", 0, 2,
     {{"a", "a", 0, 1, 0, STOP},
      {"b", "b", 4, 5, 1, 0}}},
    {"en dash U+2013",
     "war–peace", 11, "english", 0, 2,
     {{"war", "war", 0, 3, 0, 0},
      {"peace", "peac", 6, 11, 1, 0}}},
    {"em dash U+2014",
     "war—peace", 11, "english", 0, 2,
     {{"war", "war", 0, 3, 0, 0},
      {"peace", "peac", 6, 11, 1, 0}}},
    {"minus sign U+2212",
     "5−2", 5, "english", 0, 2,
     {{"5", "5", 0, 1, 0, NUM},
      {"2", "2", 4, 5, 1, NUM}}},
    {"slash",
     "and/or", 6, "english", 0, 2,
     {{"and", "and", 0, 3, 0, STOP},
      {"or", "or", 4, 6, 1, STOP}}},
    {"fraction slash U+2044",
     "1⁄2", 5, "english", 0, 2,
     {{"1", "1", 0, 1, 0, NUM},
      {"2", "2", 4, 5, 1, NUM}}},
    {"other dashes",
     "a‒b―c﹣d－e⸺f〜g", 25, "english", 0, 7,
     {{"a", "a", 0, 1, 0, STOP},
      {"b", "b", 4, 5, 1, 0},
      {"c", "c", 8, 9, 2, 0},
      {"d", "d", 12, 13, 3, 0},
      {"e", "e", 16, 17, 4, 0},
      {"f", "f", 20, 21, 5, 0},
      {"g", "g", 24, 25, 6, 0}}},
    {"division slash and fullwidth solidus",
     "x∕y／z", 9, "english", 0, 3,
     {{"x", "x", 0, 1, 0, 0},
      {"y", "y", 4, 5, 1, 0},
      {"z", "z", 8, 9, 2, 0}}},
    {"soft hyphen joins",
     "infor\u00admation", 13, "english", 0, 1,
     {{"information", "inform", 0, 13, 0, 0}}},
    {"zero width joiner joins, ZWSP splits",
     "x\u200dy a\u200bb", 11, "english", 0, 3,
     {{"xy", "xy", 0, 5, 0, 0},
      {"a", "a", 6, 7, 1, STOP},
      {"b", "b", 10, 11, 2, 0}}},
    {"joiner never starts or ends a word",
     "\u00adlead trail\u00ad", 14, "english", 0, 2,
     {{"lead", "lead", 2, 6, 0, 0},
      {"trail", "trail", 7, 12, 1, 0}}},
    {"possessive U+2019",
     "Russia’s", 10, "english", 0, 1,
     {{"russia", "russia", 0, 6, 0, 0}}},
    {"possessive ASCII",
     "Russia's", 8, "english", 0, 1,
     {{"russia", "russia", 0, 6, 0, 0}}},
    {"possessive upper case",
     "RUSSIA'S", 8, "english", 0, 1,
     {{"russia", "RUSSIA", 0, 6, 0, ACRO}}},
    {"plural acronym",
     "ICTs", 4, "english", 0, 1,
     {{"icts", "ICT", 0, 4, 0, ACRO}}},
    {"contraction splits",
     "don't", 5, "english", 0, 2,
     {{"don", "don", 0, 3, 0, 0},
      {"t", "t", 4, 5, 1, 0}}},
    {"it's drops s",
     "it’s", 6, "english", 0, 1,
     {{"it", "it", 0, 2, 0, STOP}}},
    {"plural possessive",
     "states’ rights", 16, "english", 0, 2,
     {{"states", "state", 0, 6, 0, 0},
      {"rights", "right", 10, 16, 1, 0}}},
    {"apostrophe in name",
     "O'Brien", 7, "english", 0, 2,
     {{"o", "o", 0, 1, 0, 0},
      {"brien", "brien", 2, 7, 1, 0}}},
    {"apostrophes split",
     "rock’n’roll", 15, "english", 0, 3,
     {{"rock", "rock", 0, 4, 0, 0},
      {"n", "n", 7, 8, 1, 0},
      {"roll", "roll", 11, 15, 2, 0}}},
    {"modifier letter apostrophe",
     "Russiaʼs", 9, "english", 0, 1,
     {{"russia", "russia", 0, 6, 0, 0}}},
    {"fullwidth apostrophe",
     "Russia＇s", 10, "english", 0, 1,
     {{"russia", "russia", 0, 6, 0, 0}}},
    {"not a possessive",
     "Russia’sx", 11, "english", 0, 2,
     {{"russia", "russia", 0, 6, 0, 0},
      {"sx", "sx", 9, 11, 1, 0}}},
    {"possessive then quote",
     "‘Russia’s’ view", 21, "english", 0, 2,
     {{"russia", "russia", 3, 9, 0, 0},
      {"view", "view", 17, 21, 1, 0}}},
    {"acronym U.S.",
     "U.S.", 4, "english", 0, 1,
     {{"us", "US", 0, 4, 0, ACRO}}},
    {"acronym U.N.",
     "U.N.", 4, "english", 0, 1,
     {{"un", "UN", 0, 4, 0, ACRO}}},
    {"acronym before hyphen",
     "U.S.-Russia", 11, "english", 0, 2,
     {{"us", "US", 0, 4, 0, ACRO},
      {"russia", "russia", 5, 11, 1, 0}}},
    {"acronym e.g.",
     "e.g.", 4, "english", 0, 1,
     {{"eg", "eg", 0, 4, 0, 0}}},
    {"acronym without last dot",
     "U.S", 3, "english", 0, 1,
     {{"us", "US", 0, 3, 0, ACRO}}},
    {"acronyms in a sentence",
     "the U.S. and the U.N.", 21, "english", 0, 5,
     {{"the", "the", 0, 3, 0, STOP},
      {"us", "US", 4, 8, 1, ACRO},
      {"and", "and", 9, 12, 2, STOP},
      {"the", "the", 13, 16, 3, STOP},
      {"un", "UN", 17, 21, 4, ACRO}}},
    {"acronym possessive",
     "U.S.’s", 8, "english", 0, 1,
     {{"us", "US", 0, 4, 0, ACRO}}},
    {"initial is no acronym",
     "A. Smith", 8, "english", 0, 2,
     {{"a", "a", 0, 1, 0, STOP},
      {"smith", "smith", 3, 8, 1, 0}}},
    {"broken acronym",
     "U.Sx", 4, "english", 0, 2,
     {{"u", "u", 0, 1, 0, 0},
      {"sx", "sx", 2, 4, 1, 0}}},
    {"three letter acronym",
     "U.S.A.", 6, "english", 0, 1,
     {{"usa", "USA", 0, 6, 0, ACRO}}},
    {"accented acronym",
     "É.U.", 5, "english", 0, 1,
     {{"eu", "eu", 0, 5, 0, 0}}},
    {"letter dot digit",
     "A.1", 3, "english", 0, 2,
     {{"a", "a", 0, 1, 0, STOP},
      {"1", "1", 2, 3, 1, NUM}}},
    {"acronym then word",
     "U.S.A.The", 9, "english", 0, 2,
     {{"usa", "USA", 0, 6, 0, ACRO},
      {"the", "the", 6, 9, 1, STOP}}},
    {"year",
     "1998", 4, "english", 0, 1,
     {{"1998", "1998", 0, 4, 0, NUM}}},
    {"year range en dash",
     "2021–2025", 11, "english", 0, 2,
     {{"2021", "2021", 0, 4, 0, NUM},
      {"2025", "2025", 7, 11, 1, NUM}}},
    {"decimal splits",
     "3.5", 3, "english", 0, 2,
     {{"3", "3", 0, 1, 0, NUM},
      {"5", "5", 2, 3, 1, NUM}}},
    {"thousands splits",
     "1,000", 5, "english", 0, 2,
     {{"1", "1", 0, 1, 0, NUM},
      {"000", "000", 2, 5, 1, NUM}}},
    {"arabic-indic digits",
     "٢٠٢١", 8, "english", 0, 1,
     {{"٢٠٢١", "٢٠٢١", 0, 8, 0, NUM}}},
    {"curly double quotes",
     "“Open-ended”", 16, "english", 0, 2,
     {{"open", "open", 3, 7, 0, 0},
      {"ended", "end", 8, 13, 1, 0}}},
    {"guillemets and low quotes",
     "«guillemets» „low“", 24, "english", 0, 2,
     {{"guillemets", "guillemet", 2, 12, 0, 0},
      {"low", "low", 18, 21, 1, 0}}},
    {"BOM skipped, offsets count it",
     "\ufeffHello", 8, "english", 0, 1,
     {{"hello", "hello", 3, 8, 0, 0}}},
    {"BOM inside text separates",
     "a\ufeffb", 5, "english", 0, 2,
     {{"a", "a", 0, 1, 0, STOP},
      {"b", "b", 4, 5, 1, 0}}},
    {"BOM alone",
     "\ufeff", 3, "english", 0, 0,
     {}},
    {"overlong C0 AF",
     "bad\300\257slash", 10, "english", 0, 2,
     {{"bad", "bad", 0, 3, 0, 0},
      {"slash", "slash", 5, 10, 1, 0}}},
    {"encoded surrogate",
     "sur\355\240\200rogate", 12, "english", 0, 2,
     {{"sur", "sur", 0, 3, 0, 0},
      {"rogate", "rogat", 6, 12, 1, 0}}},
    {"NUL byte",
     "nul\000byte", 8, "english", 0, 2,
     {{"nul", "nul", 0, 3, 0, 0},
      {"byte", "byte", 4, 8, 1, 0}}},
    {"truncated at end",
     "trunc\342\200", 7, "english", 0, 1,
     {{"trunc", "trunc", 0, 5, 0, 0}}},
    {"lone continuation",
     "lone\200cont", 9, "english", 0, 2,
     {{"lone", "lone", 0, 4, 0, 0},
      {"cont", "cont", 5, 9, 1, 0}}},
    {"invalid lead F5",
     "\365\200\200\200high", 8, "english", 0, 1,
     {{"high", "high", 4, 8, 0, 0}}},
    {"above U+10FFFF",
     "a\364\220\200\200b", 6, "english", 0, 2,
     {{"a", "a", 0, 1, 0, STOP},
      {"b", "b", 5, 6, 1, 0}}},
    {"truncated 2-byte at end",
     "caf\303", 4, "english", 0, 1,
     {{"caf", "caf", 0, 3, 0, 0}}},
    {"FF FE bytes",
     "\377\376ok", 4, "english", 0, 1,
     {{"ok", "ok", 2, 4, 0, 0}}},
    {"truncated inside word",
     "ab\342\200cd", 6, "english", 0, 2,
     {{"ab", "ab", 0, 2, 0, 0},
      {"cd", "cd", 4, 6, 1, 0}}},
    {"overlong E0 80 AF",
     "x\340\200\257y", 5, "english", 0, 2,
     {{"x", "x", 0, 1, 0, 0},
      {"y", "y", 4, 5, 1, 0}}},
    {"64 bytes is kept",
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 64, "english", 0, 1,
     {{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0, 64, 0, 0}}},
    {"65 bytes is skipped",
     "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy ok", 68, "english", 0, 1,
     {{"ok", "ok", 66, 68, 1, 0}}},
    {"length counts after normalization",
     "ééééééééééééééééééééééééééééééééé", 66, "english", 0, 1,
     {{"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", 0, 66, 0, 0}}},
    {"ligatures grow past 64",
     "ﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁ ok", 102, "english", 0, 1,
     {{"ok", "ok", 100, 102, 1, 0}}},
    {"ligatures up to 64",
     "ﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁ", 96, "english", 0, 1,
     {{"fifififififififififififififififififififififififififififififififi", "fifififififififififififififififififififififififififififififififi", 0, 96, 0, 0}}},
    {"very long run skipped",
     "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz end", 5004, "english", 0, 1,
     {{"end", "end", 5001, 5004, 1, 0}}},
    {"han bigrams",
     "日本語", 9, "english", 0, 2,
     {{"日本", "日本", 0, 6, 0, CJK},
      {"本語", "本語", 3, 9, 1, CJK}}},
    {"lone han unigram",
     "中", 3, "english", 0, 1,
     {{"中", "中", 0, 3, 0, CJK}}},
    {"katakana bigrams",
     "テキスト", 12, "english", 0, 3,
     {{"テキ", "テキ", 0, 6, 0, CJK},
      {"キス", "キス", 3, 9, 1, CJK},
      {"スト", "スト", 6, 12, 2, CJK}}},
    {"hiragana bigrams",
     "ひらがな", 12, "english", 0, 3,
     {{"ひら", "ひら", 0, 6, 0, CJK},
      {"らが", "らが", 3, 9, 1, CJK},
      {"がな", "がな", 6, 12, 2, CJK}}},
    {"hangul bigrams",
     "한국어", 9, "english", 0, 2,
     {{"한국", "한국", 0, 6, 0, CJK},
      {"국어", "국어", 3, 9, 1, CJK}}},
    {"latin then han",
     "ICT安全", 9, "english", 0, 2,
     {{"ict", "ict", 0, 3, 0, 0},
      {"安全", "安全", 3, 9, 1, CJK}}},
    {"han then latin",
     "安全ICT", 9, "english", 0, 2,
     {{"安全", "安全", 0, 6, 0, CJK},
      {"ict", "ICT", 6, 9, 1, ACRO}}},
    {"two unigrams",
     "中 国", 7, "english", 0, 2,
     {{"中", "中", 0, 3, 0, CJK},
      {"国", "国", 4, 7, 1, CJK}}},
    {"kana with combining voicing mark",
     "か\u3099", 6, "english", 0, 1,
     {{"が", "が", 0, 6, 0, CJK}}},
    {"halfwidth katakana voiced",
     "ｶ\uff9eｽ", 9, "english", 0, 1,
     {{"ガス", "ガス", 0, 9, 0, CJK}}},
    {"ideographic comma splits runs",
     "日本、中国", 15, "english", 0, 2,
     {{"日本", "日本", 0, 6, 0, CJK},
      {"中国", "中国", 9, 15, 1, CJK}}},
    {"han then digits",
     "東京2020", 10, "english", 0, 2,
     {{"東京", "東京", 0, 6, 0, CJK},
      {"2020", "2020", 6, 10, 1, NUM}}},
    {"mixed sentence",
     "The 中国 OEWG", 15, "english", 0, 3,
     {{"the", "the", 0, 3, 0, STOP},
      {"中国", "中国", 4, 10, 1, CJK},
      {"oewg", "OEWG", 11, 15, 2, ACRO}}},
    {"stems shared",
     "negotiations negotiate negotiating", 34, "english", 0, 3,
     {{"negotiations", "negoti", 0, 12, 0, 0},
      {"negotiate", "negoti", 13, 22, 1, 0},
      {"negotiating", "negoti", 23, 34, 2, 0}}},
    {"stop words flagged",
     "The and of", 10, "english", 0, 3,
     {{"the", "the", 0, 3, 0, STOP},
      {"and", "and", 4, 7, 1, STOP},
      {"of", "of", 8, 10, 2, STOP}}},
    {"none has no stop list",
     "the running", 11, "none", 0, 2,
     {{"the", "the", 0, 3, 0, 0},
      {"running", "running", 4, 11, 1, 0}}},
    {"english stems running",
     "running", 7, "english", 0, 1,
     {{"running", "run", 0, 7, 0, 0}}},
    {"porter stemmer",
     "running the", 11, "porter", 0, 2,
     {{"running", "run", 0, 7, 0, 0},
      {"the", "the", 8, 11, 1, STOP}}},
    {"french stemmer",
     "négociations", 13, "french", 0, 1,
     {{"negociations", "negoci", 0, 13, 0, 0}}},
    {"first position",
     "alpha beta", 10, "english", 100, 2,
     {{"alpha", "alpha", 0, 5, 100, 0},
      {"beta", "beta", 6, 10, 101, 0}}},
    {"first position with skipped",
     "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww beta", 75, "english", 41, 1,
     {{"beta", "beta", 71, 75, 42, 0}}},
    {"seed excerpt",
     "UN Open‑Ended Working Group (OEWG) established at Russia’s initiative", 73, "english", 0, 10,
     {{"un", "UN", 0, 2, 0, ACRO},
      {"open", "open", 3, 7, 1, 0},
      {"ended", "end", 10, 15, 2, 0},
      {"working", "work", 16, 23, 3, 0},
      {"group", "group", 24, 29, 4, 0},
      {"oewg", "OEWG", 31, 35, 5, ACRO},
      {"established", "establish", 37, 48, 6, 0},
      {"at", "at", 49, 51, 7, STOP},
      {"russia", "russia", 52, 58, 8, 0},
      {"initiative", "initi", 63, 73, 9, 0}}},
};

#define N_CASES (sizeof cases / sizeof cases[0])

/* ------------------------------------------------------------------ */
/* Collecting tokens                                                   */
/* ------------------------------------------------------------------ */

typedef struct got_token {
    char term[CS_TERM_MAX + 1];
    char stem[2 * CS_TERM_MAX + 1];
    size_t term_len, stem_len, start, end;
    uint32_t position;
    unsigned flags;
} got_token_t;

typedef struct got {
    got_token_t tok[64];
    size_t n;            /* tokens seen (may exceed the array) */
    size_t stop_after;   /* return non-zero after this many (0: never) */
} got_t;

static int collect(void *ctx, const cs_token_t *t)
{
    got_t *g = ctx;
    if (g->n < sizeof g->tok / sizeof g->tok[0]) {
        got_token_t *k = &g->tok[g->n];
        ck_assert_uint_le(t->term_len, CS_TERM_MAX);
        ck_assert_uint_le(t->stem_len, 2 * CS_TERM_MAX);
        memcpy(k->term, t->term, t->term_len + 1);
        memcpy(k->stem, t->stem, t->stem_len);
        k->stem[t->stem_len] = '\0';
        k->term_len = t->term_len;
        k->stem_len = t->stem_len;
        k->start = t->start;
        k->end = t->end;
        k->position = t->position;
        k->flags = t->flags;
    }
    g->n++;
    return g->stop_after && g->n >= g->stop_after;
}

static cs_analyzer_t *new_analyzer(const char *language)
{
    cs_analyzer_t *an = NULL;
    char *err = NULL;
    cs_status_t st = cs_analyzer_new(language, &an, &err);
    ck_assert_msg(st == CS_OK, "cs_analyzer_new(%s): %s", language,
                  err ? err : "?");
    free(err);
    return an;
}

static void print_tokens(const char *name, const got_t *g)
{
    fprintf(stderr, "case \"%s\": %zu tokens\n", name, g->n);
    for (size_t i = 0; i < g->n && i < 64; i++)
        fprintf(stderr, "  [%zu,%zu) pos %u term \"%s\" stem \"%s\" flags %u\n",
                g->tok[i].start, g->tok[i].end, g->tok[i].position,
                g->tok[i].term, g->tok[i].stem, g->tok[i].flags);
}

/* ------------------------------------------------------------------ */
/* The tokenizer table                                                 */
/* ------------------------------------------------------------------ */

START_TEST(test_tokenize_table)
{
    const tokenize_case_t *c = &cases[_i];
    cs_analyzer_t *an = new_analyzer(c->language);
    got_t g = {0};

    /* An exact-size copy, so a read past the end trips ASan/valgrind. */
    char *text = malloc(c->len ? c->len : 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, c->input, c->len);
    uint32_t next = cs_analyzer_tokenize(an, text, c->len, c->first, collect,
                                         &g);
    if (g.n != c->n)
        print_tokens(c->name, &g);
    ck_assert_msg(g.n == c->n, "case \"%s\": %zu tokens, expected %zu",
                  c->name, g.n, c->n);
    for (size_t i = 0; i < c->n; i++) {
        const expected_t *e = &c->tok[i];
        const got_token_t *k = &g.tok[i];
        ck_assert_msg(strcmp(k->term, e->term) == 0 &&
                          k->term_len == strlen(e->term),
                      "case \"%s\" token %zu: term \"%s\", expected \"%s\"",
                      c->name, i, k->term, e->term);
        ck_assert_msg(strcmp(k->stem, e->stem) == 0,
                      "case \"%s\" token %zu: stem \"%s\", expected \"%s\"",
                      c->name, i, k->stem, e->stem);
        ck_assert_msg(k->start == e->start && k->end == e->end,
                      "case \"%s\" token %zu (%s): range [%zu,%zu), "
                      "expected [%zu,%zu)", c->name, i, e->term, k->start,
                      k->end, e->start, e->end);
        ck_assert_msg(k->position == e->position,
                      "case \"%s\" token %zu (%s): position %u, expected %u",
                      c->name, i, e->term, k->position, e->position);
        ck_assert_msg(k->flags == e->flags,
                      "case \"%s\" token %zu (%s): flags %u, expected %u",
                      c->name, i, e->term, k->flags, e->flags);
    }
    uint32_t want_next = c->n ? c->tok[c->n - 1].position + 1 : c->first;
    ck_assert_msg(next == want_next, "case \"%s\": returned %u, expected %u",
                  c->name, next, want_next);
    free(text);
    cs_analyzer_free(an);
}
END_TEST

/* ------------------------------------------------------------------ */
/* cs_analyzer_normalize()                                             */
/* ------------------------------------------------------------------ */

typedef struct normalize_case {
    const char *input;
    size_t len;
    size_t size;          /* buffer size passed */
    const char *expected; /* NULL: (size_t)-1, does not fit */
} normalize_case_t;

static const normalize_case_t normalize_cases[] = {
    {"Philémon", 9, 64, "philemon"},
    {"Phile\u0301mon", 10, 64, "philemon"},
    {"U.S.", 4, 64, "us"},            /* dots dropped: acronym terms */
    {"e.g.", 4, 64, "eg"},
    {"ﬁnance", 8, 64, "finance"},
    {"ＡＢＣ", 9, 64, "abc"},
    {"Straße", 7, 64, "strasse"},
    {"Open‑Ended", 12, 64, "openended"}, /* punctuation dropped */
    {"Russia’s", 10, 64, "russias"},
    {"か\u3099", 6, 64, "が"},
    {"ｶﾞ", 6, 64, "ガ"},
    {"", 0, 1, ""},
    {"...", 3, 1, ""},
    {"hello", 5, 5, NULL},            /* needs 6 bytes with the NUL */
    {"hello", 5, 6, "hello"},
    {"héllo", 6, 5, NULL},
    {"héllo", 6, 6, "hello"},
    {"a\300\257b", 4, 8, "ab"},       /* invalid bytes are separators */
    {"trunc\342\200", 7, 8, "trunc"},
    {"x\000y", 3, 8, "xy"},
    {"½", 2, 8, "12"},
    {"ﬁ", 3, 2, NULL},
    {"ﬁ", 3, 3, "fi"},
};

#define N_NORMALIZE (sizeof normalize_cases / sizeof normalize_cases[0])

START_TEST(test_normalize_table)
{
    const normalize_case_t *c = &normalize_cases[_i];
    char buf[128];
    memset(buf, 'X', sizeof buf);
    size_t n = cs_analyzer_normalize(c->input, c->len, buf, c->size);
    if (!c->expected) {
        ck_assert_msg(n == (size_t)-1, "normalize(\"%s\", size %zu) = %zu, "
                      "expected (size_t)-1", c->input, c->size, n);
    } else {
        ck_assert_msg(n == strlen(c->expected) && strcmp(buf, c->expected) == 0,
                      "normalize(\"%s\") = \"%s\" (%zu), expected \"%s\"",
                      c->input, n == (size_t)-1 ? "" : buf, n, c->expected);
    }
    ck_assert_msg(buf[c->size] == 'X', "wrote past the buffer");
}
END_TEST

START_TEST(test_normalize_bad_arguments)
{
    char buf[8];
    ck_assert(cs_analyzer_normalize("abc", 3, buf, 0) == (size_t)-1);
    ck_assert(cs_analyzer_normalize("abc", 3, NULL, 8) == (size_t)-1);
    ck_assert(cs_analyzer_normalize(NULL, 3, buf, 8) == (size_t)-1);
    ck_assert_uint_eq(cs_analyzer_normalize(NULL, 0, buf, 8), 0);
}
END_TEST

START_TEST(test_normalize_long_input)
{
    /* Larger than the function's stack scratch: it must still be exact. */
    size_t len = 3000 * 3;
    char *in = malloc(len), *out = malloc(3001);
    for (size_t i = 0; i < len; i += 3)
        memcpy(in + i, "ﬁ", 3);
    ck_assert(cs_analyzer_normalize(in, len, out, 3001) == (size_t)-1);
    free(out);
    out = malloc(6001);
    ck_assert_uint_eq(cs_analyzer_normalize(in, len, out, 6001), 6000);
    ck_assert_int_eq(memcmp(out, "fififi", 6), 0);
    free(in);
    free(out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* cs_analyzer_stem() and stop words                                   */
/* ------------------------------------------------------------------ */

typedef struct stem_case {
    const char *language;
    const char *term;
    size_t size;
    const char *expected; /* NULL: (size_t)-1 */
} stem_case_t;

static const stem_case_t stem_cases[] = {
    {"english", "negotiations", 64, "negoti"},
    {"english", "negotiate", 64, "negoti"},
    {"english", "running", 64, "run"},
    {"english", "icts", 64, "ict"},
    {"english", "the", 64, "the"},
    {"none", "running", 64, "running"},
    {"english", "negotiations", 6, NULL},  /* "negoti" needs 7 bytes */
    {"english", "negotiations", 7, "negoti"},
    {"none", "running", 7, NULL},
    {"french", "négociations", 64, "négoci"},
    {"german", "häuser", 64, "haus"},
};

#define N_STEM (sizeof stem_cases / sizeof stem_cases[0])

START_TEST(test_stem_table)
{
    const stem_case_t *c = &stem_cases[_i];
    cs_analyzer_t *an = new_analyzer(c->language);
    char buf[64];
    size_t n = cs_analyzer_stem(an, c->term, strlen(c->term), buf, c->size);
    if (!c->expected)
        ck_assert_msg(n == (size_t)-1, "stem(%s) fits in %zu bytes", c->term,
                      c->size);
    else
        ck_assert_msg(n == strlen(c->expected) && strcmp(buf, c->expected) == 0,
                      "%s stem(%s) = \"%s\", expected \"%s\"", c->language,
                      c->term, n == (size_t)-1 ? "" : buf, c->expected);
    cs_analyzer_free(an);
}
END_TEST

START_TEST(test_stopwords)
{
    cs_analyzer_t *en = new_analyzer("english");
    cs_analyzer_t *none = new_analyzer("none");
    ck_assert(cs_analyzer_is_stopword(en, "the", 3));
    ck_assert(cs_analyzer_is_stopword(en, "yourselves", 10));
    ck_assert(cs_analyzer_is_stopword(en, "theirs", 6));
    ck_assert(cs_analyzer_is_stopword(en, "theirs", 5)); /* "their" */
    ck_assert(!cs_analyzer_is_stopword(en, "thei", 4));
    ck_assert(!cs_analyzer_is_stopword(en, "russia", 6));
    ck_assert(!cs_analyzer_is_stopword(en, "us", 2)); /* "US" is a country */
    ck_assert(!cs_analyzer_is_stopword(en, "", 0));
    ck_assert(!cs_analyzer_is_stopword(en, "thex", 4));
    ck_assert(!cs_analyzer_is_stopword(none, "the", 3));
    ck_assert(!cs_analyzer_is_stopword(NULL, "the", 3));
    /* stems of stop words, for a caller that has only stems */
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "onli", 4), 1);    /* only */
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "veri", 4), 1);    /* very */
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "themselv", 8), 1);
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "the", 3), 1);
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "only", 4), 1);    /* a stop word itself */
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "onlin", 5), 0);
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "russia", 6), 0);
    ck_assert_int_eq(cs_analyzer_is_stop_stem(en, "", 0), 0);
    ck_assert_int_eq(cs_analyzer_is_stop_stem(none, "onli", 4), 0);
    ck_assert_int_eq(cs_analyzer_is_stop_stem(NULL, "onli", 4), 0);
    cs_analyzer_free(en);
    cs_analyzer_free(none);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Languages                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_unknown_language)
{
    cs_analyzer_t *an = (cs_analyzer_t *)1;
    char *err = NULL;
    ck_assert_int_eq(cs_analyzer_new("klingon", &an, &err), CS_ERR_LANGUAGE);
    ck_assert_ptr_null(an);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "klingon"));
    ck_assert_ptr_nonnull(strstr(err, "english"));
    ck_assert_ptr_nonnull(strstr(err, "french"));
    ck_assert_ptr_nonnull(strstr(err, "none"));
    free(err);
    /* errmsg may be NULL */
    ck_assert_int_eq(cs_analyzer_new("klingon", &an, NULL), CS_ERR_LANGUAGE);
}
END_TEST

START_TEST(test_language_names)
{
    cs_analyzer_t *an = new_analyzer(NULL);
    ck_assert_str_eq(cs_analyzer_language(an), "english");
    cs_analyzer_free(an);
    an = new_analyzer("");
    ck_assert_str_eq(cs_analyzer_language(an), "english");
    cs_analyzer_free(an);
    an = new_analyzer("ENGLISH");
    ck_assert_str_eq(cs_analyzer_language(an), "english");
    cs_analyzer_free(an);
    an = new_analyzer("none");
    ck_assert_str_eq(cs_analyzer_language(an), "none");
    cs_analyzer_free(an);
    ck_assert_int_eq(cs_analyzer_new("english", NULL, NULL), CS_ERR_INVALID);
}
END_TEST

START_TEST(test_languages_list)
{
    const char *const *l = cs_analyzer_languages();
    int english = 0, none = 0;
    size_t n = 0;
    for (; l[n]; n++) {
        english |= strcmp(l[n], "english") == 0;
        none |= strcmp(l[n], "none") == 0;
        cs_analyzer_t *an = new_analyzer(l[n]); /* each one works */
        cs_analyzer_free(an);
    }
    ck_assert(english && none);
    ck_assert_uint_gt(n, 10);
    ck_assert_ptr_eq(cs_analyzer_languages(), l); /* static */
}
END_TEST

/* ------------------------------------------------------------------ */
/* Early stop, reuse, bad arguments                                    */
/* ------------------------------------------------------------------ */

START_TEST(test_early_stop)
{
    cs_analyzer_t *an = new_analyzer("english");
    const char *text = "one two three four";
    got_t g = {0};
    g.stop_after = 2;
    uint32_t next = cs_analyzer_tokenize(an, text, strlen(text), 10, collect,
                                         &g);
    ck_assert_uint_eq(g.n, 2);
    ck_assert_str_eq(g.tok[1].term, "two");
    ck_assert_uint_eq(next, 12); /* after the token that stopped it */
    cs_analyzer_free(an);
}
END_TEST

START_TEST(test_early_stop_in_cjk_run)
{
    cs_analyzer_t *an = new_analyzer("english");
    const char *text = "日本語テキスト";
    got_t g = {0};
    g.stop_after = 1;
    uint32_t next = cs_analyzer_tokenize(an, text, strlen(text), 0, collect,
                                         &g);
    ck_assert_uint_eq(g.n, 1);
    ck_assert_str_eq(g.tok[0].term, "日本");
    ck_assert_uint_eq(next, 1);
    cs_analyzer_free(an);
}
END_TEST

START_TEST(test_reuse_and_continue)
{
    /* One analyzer, many texts: no state leaks from one call to the next,
     * and positions continue where the caller says. */
    cs_analyzer_t *an = new_analyzer("english");
    const char *a = "U.S.-Russia negotiations", *b = "négociations Ｕ．Ｓ．";
    got_t g1 = {0}, g2 = {0}, g3 = {0};
    uint32_t p = cs_analyzer_tokenize(an, a, strlen(a), 0, collect, &g1);
    ck_assert_uint_eq(p, 3);
    p = cs_analyzer_tokenize(an, b, strlen(b), p, collect, &g2);
    ck_assert_uint_eq(g2.n, 3); /* only ASCII '.' joins an acronym */
    ck_assert_uint_eq(g2.tok[0].position, 3);
    ck_assert_uint_eq(p, 6);
    cs_analyzer_tokenize(an, a, strlen(a), 0, collect, &g3);
    ck_assert_uint_eq(g3.n, g1.n);
    for (size_t i = 0; i < g1.n; i++) {
        ck_assert_str_eq(g3.tok[i].term, g1.tok[i].term);
        ck_assert_str_eq(g3.tok[i].stem, g1.tok[i].stem);
    }
    cs_analyzer_free(an);
}
END_TEST

START_TEST(test_bad_arguments)
{
    cs_analyzer_t *an = new_analyzer("english");
    got_t g = {0};
    ck_assert_uint_eq(cs_analyzer_tokenize(NULL, "a b", 3, 5, collect, &g), 5);
    ck_assert_uint_eq(cs_analyzer_tokenize(an, NULL, 3, 5, collect, &g), 5);
    ck_assert_uint_eq(cs_analyzer_tokenize(an, "a b", 3, 5, NULL, &g), 5);
    ck_assert_uint_eq(cs_analyzer_tokenize(an, NULL, 0, 5, collect, &g), 5);
    ck_assert_uint_eq(g.n, 0);
    ck_assert_ptr_null(cs_analyzer_language(NULL));
    cs_analyzer_free(NULL);
    cs_analyzer_free(an);
}
END_TEST

START_TEST(test_stem_cache_consistent)
{
    /* The same term must get the same stem whether it came from the cache
     * or from Snowball, including after many colliding terms. */
    cs_analyzer_t *an = new_analyzer("english");
    static got_t g;
    char text[32];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 20000; i++) {
            int n = snprintf(text, sizeof text, "nations%dx governing", i);
            g.n = 0;
            cs_analyzer_tokenize(an, text, (size_t)n, 0, collect, &g);
            ck_assert_uint_eq(g.n, 2);
            ck_assert_str_eq(g.tok[1].stem, "govern");
        }
    }
    cs_analyzer_free(an);
}
END_TEST

/* The marks of cs_token_t.seen: each token's mark read before this
 * callback sets it, by token (1: NULL, 2: 0, 3: set); with @pairs, a set
 * mark must be one this callback set for the same term and stem. */
typedef struct marks {
    char read[16];
    size_t n;
    cs_strset_t *pairs;
} marks_t;

static int mark_tokens(void *ctx, const cs_token_t *t)
{
    marks_t *m = ctx;
    char r = !t->seen ? 1 : !*t->seen ? 2 : 3;
    if (m->n < sizeof m->read)
        m->read[m->n] = r;
    m->n++;
    if (m->pairs) {
        char pair[2 * CS_TERM_MAX + 2 * CS_TERM_MAX + 2];
        int len = snprintf(pair, sizeof pair, "%.*s %.*s", (int)t->term_len, t->term,
                           (int)t->stem_len, t->stem);
        int added = _cs_strset_add(m->pairs, pair, (size_t)len);
        ck_assert_int_ge(added, 0);
        ck_assert_msg(r != 3 || added == 0, "a set mark on \"%s\", never marked", pair);
    }
    if (t->seen)
        *t->seen = 1;
    return 0;
}

START_TEST(test_seen_marks)
{
    cs_analyzer_t *an = new_analyzer("english");
    marks_t m = { .n = 0 };
    /* a word, again; a number and acronyms have no mark ("US" is the
     * stem of an acronym, not the cached "us"), the word "us" has */
    const char *text = "nations governing nations 1990 us US U.S. us";
    cs_analyzer_tokenize(an, text, strlen(text), 0, mark_tokens, &m);
    ck_assert_uint_eq(m.n, 8);
    ck_assert_mem_eq(m.read, "\2\2\3\1\2\1\1\3", 8);

    /* a second analyzer has marks of its own */
    cs_analyzer_t *other = new_analyzer("english");
    m.n = 0;
    cs_analyzer_tokenize(other, "nations", 7, 0, mark_tokens, &m);
    ck_assert_int_eq(m.read[0], 2);
    cs_analyzer_free(other);
    cs_analyzer_free(an);

    /* through evictions and promotions, a set mark is always the word's */
    an = new_analyzer("english");
    cs_strset_t pairs;
    _cs_strset_init(&pairs);
    m.pairs = &pairs;
    char word[32];
    size_t set = 0;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 60000; i++) {
            int n = snprintf(word, sizeof word, "w%dx nations", (i * 7919) % 60000);
            m.n = 0;
            cs_analyzer_tokenize(an, word, (size_t)n, 0, mark_tokens, &m);
            set += (size_t)(m.read[0] == 3);
        }
    ck_assert_uint_gt(set, 0);
    _cs_strset_free(&pairs);
    cs_analyzer_free(an);
}
END_TEST

static Suite *analyzer_suite(void)
{
    Suite *s = suite_create("analyzer");

    TCase *tc = tcase_create("tokenize");
    tcase_add_loop_test(tc, test_tokenize_table, 0, (int)N_CASES);
    suite_add_tcase(s, tc);

    tc = tcase_create("normalize");
    tcase_add_loop_test(tc, test_normalize_table, 0, (int)N_NORMALIZE);
    tcase_add_test(tc, test_normalize_bad_arguments);
    tcase_add_test(tc, test_normalize_long_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("stem");
    tcase_add_loop_test(tc, test_stem_table, 0, (int)N_STEM);
    tcase_add_test(tc, test_stopwords);
    tcase_add_test(tc, test_stem_cache_consistent);
    tcase_add_test(tc, test_seen_marks);
    suite_add_tcase(s, tc);

    tc = tcase_create("core");
    tcase_add_test(tc, test_unknown_language);
    tcase_add_test(tc, test_language_names);
    tcase_add_test(tc, test_languages_list);
    tcase_add_test(tc, test_early_stop);
    tcase_add_test(tc, test_early_stop_in_cjk_run);
    tcase_add_test(tc, test_reuse_and_continue);
    tcase_add_test(tc, test_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(analyzer_suite());
}
