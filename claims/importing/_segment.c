/* Native accelerator for claims/importing/segment.py: the same algorithm, in C against the CPython API.
 *
 * segment.py is the reference (and the fallback when this module is not built); every function here mirrors
 * one there, under the same name, and tests/importing/test_segment_native.py checks that both give identical
 * annotations and spans on the corpus texts, the Golden Rules and arbitrary unicode text. The constants the
 * algorithm uses are repeated at the end of this file and exposed to Python, so a change to a rule in
 * segment.py that is not made here too switches the accelerator off (and fails that test) instead of letting
 * the two drift apart.
 *
 * Why native: sentencex (Rust) splits a paragraph in ~3 us; the rules around it cost ~20 us in Python.
 *
 * Text is handled as a UCS4 copy of the str, so every offset is a Python str index. Character classes use the
 * same predicates as Python's str methods and re's Unicode classes: \s is str.isspace (Py_UNICODE_ISSPACE),
 * \d is str.isdecimal, \w is str.isalnum() or "_" (checked over every code point when this was written).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>

typedef Py_UCS4 uch;

/* --- Set by configure() from segment.py ---------------------------------------------------------------- */

static PyObject *annotation_type; /* segment.Annotation, a tuple subclass */
static PyObject *segment_func;    /* sentencex.segment */
static PyObject *language;        /* "en" */
static PyObject *split_with_py;   /* the reference, for annotation lists this code does not take */

/* Interned kind names, tag slugs and "". */
static PyObject *s_reference, *s_note, *s_tag, *s_empty, *s_blank;

/* --- Growable arrays of offsets ------------------------------------------------------------------------- */

typedef struct {
    Py_ssize_t *data;
    Py_ssize_t len, cap;
    Py_ssize_t local[32];
} Vec;

static void vec_init(Vec *v) {
    v->data = v->local;
    v->len = 0;
    v->cap = 32;
}

static void vec_free(Vec *v) {
    if (v->data != v->local) PyMem_Free(v->data);
    vec_init(v);
}

static int vec_push(Vec *v, Py_ssize_t x) {
    if (v->len == v->cap) {
        Py_ssize_t cap = v->cap * 2;
        Py_ssize_t *data = PyMem_Malloc(cap * sizeof(Py_ssize_t));
        if (data == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(data, v->data, v->len * sizeof(Py_ssize_t));
        if (v->data != v->local) PyMem_Free(v->data);
        v->data = data;
        v->cap = cap;
    }
    v->data[v->len++] = x;
    return 0;
}

static int cmp_ssize(const void *a, const void *b) {
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    return (x > y) - (x < y);
}

/* A pair array (opening, closing) sorted by opening: openings are distinct positions. */
static int cmp_pair(const void *a, const void *b) {
    const Py_ssize_t *x = a, *y = b;
    if (x[0] != y[0]) return (x[0] > y[0]) - (x[0] < y[0]);
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* --- Character classes ------------------------------------------------------------------------------------ */

#define IS_SPACE(c) Py_UNICODE_ISSPACE(c)
#define IS_DECIMAL(c) Py_UNICODE_ISDECIMAL(c)
#define IS_WORD(c) (Py_UNICODE_ISALNUM(c) || (c) == '_')

static inline int in_chars(const uch *set, uch c) {
    for (; *set; set++)
        if (*set == c) return 1;
    return 0;
}

/* Mirrors of segment.py's character strings (compared with them at import; see CONSTANTS below). */
static const uch TERMINALS[] = {'.', '?', '!', 0x2026, 0};
static const uch CLOSERS[] = {'"', '\'', ')', ']', 0x201d, 0x2019, 0x00bb, 0};
static const uch OPENERS[] = {'"', '\'', '(', '[', 0x201c, 0x2018, 0x00ab, 0x201e, 0};
static const uch CURRENCY[] = {'$', 0x20ac, 0x00a3, 0x00a5, 0};
static const uch BEFORE_OPENING_QUOTE[] = {' ', '(', '[', '{', 0x2014, 0x2013, '-', '/', ':', 0};
static const uch LIST_OPENERS[] = {' ', 0x2022, 0x2043, 0x25aa, 0x25e6, 0x2023, '*', 0x2013, '-', 0};
/* _LIST_ITEM's bullet class: the list openers but the space. */
static const uch BULLETS[] = {0x2022, 0x2043, 0x25aa, 0x25e6, 0x2023, '*', 0x2013, '-', 0};
/* _CLOSED_PARENTHESIS's quote class. */
static const uch PAREN_QUOTES[] = {'"', '\'', 0x201d, 0x2019, 0};
static const uch DASHES[] = {'-', 0x2013, 0x2014, 0};

/* re's IGNORECASE match of one ASCII lower-case letter: its two cases and the few code points that fold to it
 * (found by trying every code point against re.compile("(?i:x)")). */
static inline int ci_eq(uch c, char lower) {
    if (c == (uch)lower || c == (uch)(lower - 'a' + 'A')) return 1;
    switch (lower) {
        case 'i':
            return c == 0x130 || c == 0x131;
        case 'k':
            return c == 0x212a;
        case 's':
            return c == 0x17f;
        default:
            return 0;
    }
}

/* Word lists as ASCII C strings; a word from the text matches when its code points equal one's bytes. */
static int in_words(const char *const *words, const uch *s, Py_ssize_t len) {
    for (; *words; words++) {
        const char *w = *words;
        Py_ssize_t i = 0;
        while (i < len && w[i] && (uch)(unsigned char)w[i] == s[i]) i++;
        if (i == len && w[i] == 0) return 1;
    }
    return 0;
}

static const char *const TITLES[] = {"Mr.",  "Mrs.", "Ms.",  "Dr.",  "Prof.", "Gen.", "Lt.",  "Col.", "Capt.",
                                     "Cpt.", "Sgt.", "Maj.", "Brig.", "Adm.", "Cmdr.", "Rev.", "Sen.", "Rep.",
                                     "Gov.", "Pres.", "Hon.", "Msgr.", "Mt.", "Ft.", NULL};
static const char *const NUMBER_ABBREVIATIONS[] = {
    "No.",  "Nos.", "no.",  "nos.", "Nr.",  "nr.",  "Vol.",  "vol.",  "Vols.", "vols.", "p.",  "pp.",
    "Fig.", "fig.", "Figs.", "figs.", "Art.", "art.", "Ch.", "ch.", "Sec.", "sec.", "Para.", "para.",
    "Pt.",  "pt.",  "Op.",  "op.",  NULL};
static const char *const CLOCK[] = {"a.m.", "p.m.", "A.M.", "P.M.", NULL};
static const char *const TIME_ZONES[] = {"ET", "EST", "EDT", "CT", "CST", "CDT", "MT",  "MST",  "MDT", "PT", "PST",
                                         "PDT", "GMT", "BST", "UTC", "CET", "CEST", "EET", "EEST", "IST", "JST",
                                         NULL};
static const char *const WEEKDAYS[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                                       NULL};

/* --- Annotations (ANNOTATION_RE) ------------------------------------------------------------------------ */

/* Cleanup tags, in CLEANUP_TAGS's order (the order the regex tries them). */
enum { TAG_BETTER, TAG_CITATION, TAG_CLARIFICATION, TAG_DUBIOUS, TAG_FAILED, TAG_ACCORDING, TAG_WHEN, N_TAGS };
static const char *const TAG_SLUGS[N_TAGS] = {
    "better_source_needed", "citation_needed", "clarification_needed", "dubious",
    "failed_verification",  "according_to_whom", "when"};
static const char *const TAG_PATTERNS[N_TAGS] = {
    "better\\s+sources?\\s+needed",
    "citation\\s+needed",
    "clarification\\s+needed",
    "dubious(?:\\s*[-\\u2013\\u2014]\\s*discuss)?",
    "failed\\s+verification",
    "according\\s+to\\s+whom\\s*\\??",
    "when\\s*\\?"};
static PyObject *tag_slug_objects[N_TAGS];

enum { K_REFERENCE, K_NOTE, K_TAG, K_EMPTY };

typedef struct {
    Py_ssize_t start, end;
    int kind;
    int tag;                 /* K_TAG: which */
    Py_ssize_t label, label_end; /* K_REFERENCE/K_NOTE: the prefix ("note", "N") or digits start..end */
    Py_ssize_t digits, digits_end; /* K_NOTE with a number: the digits; label..label_end is the prefix */
} Match;

static inline Py_ssize_t skip_ws(const uch *t, Py_ssize_t n, Py_ssize_t i) {
    while (i < n && IS_SPACE(t[i])) i++;
    return i;
}

/* \s+ : the position after at least one whitespace character, or -1. */
static inline Py_ssize_t ws_plus(const uch *t, Py_ssize_t n, Py_ssize_t i) {
    if (i < 0 || i >= n || !IS_SPACE(t[i])) return -1;
    return skip_ws(t, n, i + 1);
}

/* A case-insensitive ASCII word at i: the position after it, or -1. */
static Py_ssize_t ci_word(const uch *t, Py_ssize_t n, Py_ssize_t i, const char *word) {
    if (i < 0) return -1;
    for (; *word; word++, i++)
        if (i >= n || !ci_eq(t[i], *word)) return -1;
    return i;
}

static inline Py_ssize_t decimal_run(const uch *t, Py_ssize_t n, Py_ssize_t i) {
    Py_ssize_t j = i;
    while (j < n && IS_DECIMAL(t[j])) j++;
    return j - i;
}

/* \s*\] : the position after the closing bracket, or -1. */
static inline Py_ssize_t closing(const uch *t, Py_ssize_t n, Py_ssize_t i) {
    if (i < 0) return -1;
    i = skip_ws(t, n, i);
    return i < n && t[i] == ']' ? i + 1 : -1;
}

/* One cleanup tag's pattern from i (after "[\s*"): the end of the whole annotation, or -1. */
static Py_ssize_t match_tag(const uch *t, Py_ssize_t n, Py_ssize_t i, int tag) {
    Py_ssize_t j;
    switch (tag) {
        case TAG_BETTER:
            j = ci_word(t, n, i, "better");
            j = j < 0 ? -1 : ci_word(t, n, ws_plus(t, n, j), "source");
            if (j < 0) return -1;
            if (j < n && ci_eq(t[j], 's')) j++; /* greedy s?; giving it back leaves "s" where \s+ must be */
            return closing(t, n, ci_word(t, n, ws_plus(t, n, j), "needed"));
        case TAG_CITATION:
            j = ci_word(t, n, i, "citation");
            return j < 0 ? -1 : closing(t, n, ci_word(t, n, ws_plus(t, n, j), "needed"));
        case TAG_CLARIFICATION:
            j = ci_word(t, n, i, "clarification");
            return j < 0 ? -1 : closing(t, n, ci_word(t, n, ws_plus(t, n, j), "needed"));
        case TAG_DUBIOUS: {
            j = ci_word(t, n, i, "dubious");
            if (j < 0) return -1;
            /* (?:\s*[-–—]\s*discuss)? is greedy: with the suffix first, then without. */
            Py_ssize_t k = skip_ws(t, n, j);
            if (k < n && in_chars(DASHES, t[k])) {
                Py_ssize_t end = closing(t, n, ci_word(t, n, skip_ws(t, n, k + 1), "discuss"));
                if (end >= 0) return end;
            }
            return closing(t, n, j);
        }
        case TAG_FAILED:
            j = ci_word(t, n, i, "failed");
            return j < 0 ? -1 : closing(t, n, ci_word(t, n, ws_plus(t, n, j), "verification"));
        case TAG_ACCORDING:
            j = ci_word(t, n, i, "according");
            if (j < 0) return -1;
            j = ci_word(t, n, ws_plus(t, n, ci_word(t, n, ws_plus(t, n, j), "to")), "whom");
            if (j < 0) return -1;
            j = skip_ws(t, n, j);
            if (j < n && t[j] == '?') j++; /* greedy \??; giving it back leaves "?" where \s*\] must be */
            return closing(t, n, j);
        case TAG_WHEN:
            j = ci_word(t, n, i, "when");
            if (j < 0) return -1;
            j = skip_ws(t, n, j);
            return j < n && t[j] == '?' ? closing(t, n, j + 1) : -1;
    }
    return -1;
}

/* ANNOTATION_RE.match(t, start) where t[start] == "[": fills *m and returns 1, or returns 0. The regex's
 * leading \s* never gives characters back usefully (no alternative starts with whitespace), so the
 * alternatives are tried in order after all of it. */
static int match_annotation(const uch *t, Py_ssize_t n, Py_ssize_t start, Match *m) {
    Py_ssize_t i = skip_ws(t, n, start + 1), end, k;
    m->start = start;
    /* (?P<reference>\d{1,4}): more digits cannot be given back (a digit would stand before \s*\]). */
    k = decimal_run(t, n, i);
    if (k >= 1 && k <= 4 && (end = closing(t, n, i + k)) >= 0) {
        m->end = end, m->kind = K_REFERENCE, m->label = i, m->label_end = i + k;
        return 1;
    }
    /* (?P<note>(?i:note|nb|n)\s*\d{1,4}|[a-z]) */
    static const char *const prefixes[] = {"note", "nb", "n"};
    for (int p = 0; p < 3; p++) {
        Py_ssize_t j = ci_word(t, n, i, prefixes[p]);
        if (j < 0) continue;
        Py_ssize_t d = skip_ws(t, n, j);
        k = decimal_run(t, n, d);
        if (k >= 1 && k <= 4 && (end = closing(t, n, d + k)) >= 0) {
            m->end = end, m->kind = K_NOTE, m->label = i, m->label_end = j, m->digits = d, m->digits_end = d + k;
            return 1;
        }
    }
    if (i < n && t[i] >= 'a' && t[i] <= 'z' && (end = closing(t, n, i + 1)) >= 0) {
        m->end = end, m->kind = K_NOTE, m->label = i, m->label_end = i + 1, m->digits = m->digits_end = -1;
        return 1;
    }
    for (int tag = 0; tag < N_TAGS; tag++) {
        if ((end = match_tag(t, n, i, tag)) >= 0) {
            m->end = end, m->kind = K_TAG, m->tag = tag;
            return 1;
        }
    }
    if (i < n && t[i] == ']') {
        m->end = i + 1, m->kind = K_EMPTY;
        return 1;
    }
    return 0;
}

static PyObject *ucs4_str(const uch *s, Py_ssize_t len) {
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, len);
}

/* " ".join(group.split()) of the matched label: digits as they are; a note's prefix and number joined by one
 * space when whitespace stood between them. */
static PyObject *label_value(const uch *t, const Match *m) {
    if (m->kind == K_REFERENCE || m->digits < 0) return ucs4_str(t + m->label, m->label_end - m->label);
    Py_ssize_t prefix = m->label_end - m->label, digits = m->digits_end - m->digits;
    int gap = m->digits > m->label_end;
    uch buffer[16]; /* "note" + " " + 4 digits */
    memcpy(buffer, t + m->label, prefix * sizeof(uch));
    if (gap) buffer[prefix] = ' ';
    memcpy(buffer + prefix + gap, t + m->digits, digits * sizeof(uch));
    return ucs4_str(buffer, prefix + gap + digits);
}

static PyObject *new_annotation(const uch *t, const Match *m) {
    PyObject *kind, *value;
    switch (m->kind) {
        case K_REFERENCE:
            kind = s_reference, value = label_value(t, m);
            break;
        case K_NOTE:
            kind = s_note, value = label_value(t, m);
            break;
        case K_TAG:
            kind = s_tag, value = Py_NewRef(tag_slug_objects[m->tag]);
            break;
        default:
            kind = s_empty, value = Py_NewRef(s_blank);
    }
    if (value == NULL) return NULL;
    PyObject *start = PyLong_FromSsize_t(m->start), *end = PyLong_FromSsize_t(m->end);
    /* What tuple.__new__(Annotation, ...) does (CPython's tuple_subtype_new), without the Python-level
     * __new__ a NamedTuple call goes through. */
    PyTypeObject *type = (PyTypeObject *)annotation_type;
    PyObject *result = start && end ? type->tp_alloc(type, 4) : NULL;
    if (result == NULL) {
        Py_XDECREF(start);
        Py_XDECREF(end);
        Py_DECREF(value);
        return NULL;
    }
    PyTuple_SET_ITEM(result, 0, start);
    PyTuple_SET_ITEM(result, 1, end);
    PyTuple_SET_ITEM(result, 2, Py_NewRef(kind));
    PyTuple_SET_ITEM(result, 3, value);
    return result;
}

/* find_annotations: (start, end) pairs into *spans and, when out is given, Annotation objects into it. */
static int scan_annotations(const uch *t, Py_ssize_t n, Vec *spans, PyObject *out) {
    Py_ssize_t i = 0;
    Match m;
    while (i < n) {
        if (t[i] != '[') {
            i++;
            continue;
        }
        if (!match_annotation(t, n, i, &m)) {
            i++;
            continue;
        }
        i = m.end; /* finditer resumes after a match, skipped image stub or not */
        /* the [] of "![]()" is part of an image stub, not a dropped citation */
        if (m.kind == K_EMPTY && m.start > 0 && t[m.start - 1] == '!' && m.end < n && t[m.end] == '(') continue;
        /* a quotation's editorial letter, "[t]he health of…": a marker is never glued to a word (str.islower of
         * one character is Py_UNICODE_ISLOWER) */
        if (m.kind == K_NOTE && m.digits < 0 && m.end < n && Py_UNICODE_ISLOWER(t[m.end])) continue;
        if (spans && (vec_push(spans, m.start) < 0 || vec_push(spans, m.end) < 0)) return -1;
        if (out) {
            PyObject *annotation = new_annotation(t, &m);
            if (annotation == NULL) return -1;
            int failed = PyList_Append(out, annotation);
            Py_DECREF(annotation);
            if (failed) return -1;
        }
    }
    return 0;
}

/* --- The text as code points ------------------------------------------------------------------------------ */

typedef struct {
    uch *t; /* the text */
    uch *m; /* the masked text */
    Py_ssize_t n;
    uch local[2 * 1024];
} Buffers;

static int buffers_init(Buffers *b, PyObject *text) {
    b->n = PyUnicode_GET_LENGTH(text);
    if (2 * b->n <= (Py_ssize_t)(sizeof(b->local) / sizeof(uch))) {
        b->t = b->local;
    } else {
        if ((size_t)b->n > PY_SSIZE_T_MAX / (2 * sizeof(uch))) {
            PyErr_NoMemory();
            return -1;
        }
        b->t = PyMem_Malloc(2 * b->n * sizeof(uch));
        if (b->t == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    b->m = b->t + b->n;
    if (b->n && PyUnicode_AsUCS4(text, b->t, b->n, 0) == NULL) {
        if (b->t != b->local) PyMem_Free(b->t);
        return -1;
    }
    return 0;
}

static void buffers_free(Buffers *b) {
    if (b->t != b->local) PyMem_Free(b->t);
}

/* --- Masking (_mask) ------------------------------------------------------------------------------------ */

/* The masked copy into b->m: every whitespace character a plain space, lone surrogates U+FFFD (the Rust
 * extension cannot take them), annotations blanked. Returns whether it differs from the text. After this the
 * only whitespace in m is " ", which the code below relies on. */
static int mask(Buffers *b, const Vec *annotations) {
    const uch *t = b->t;
    uch *m = b->m;
    int changed = 0;
    for (Py_ssize_t i = 0; i < b->n; i++) {
        uch c = t[i];
        if (c == ' ' || (c > ' ' && c < 0x7f)) {
            m[i] = c;
        } else if (IS_SPACE(c)) {
            m[i] = ' ', changed = 1;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            m[i] = 0xfffd, changed = 1;
        } else {
            m[i] = c;
        }
    }
    for (Py_ssize_t a = 0; a < annotations->len; a += 2) {
        for (Py_ssize_t i = annotations->data[a]; i < annotations->data[a + 1]; i++) m[i] = ' ';
        changed |= annotations->data[a + 1] > annotations->data[a];
    }
    return changed;
}

static inline Py_ssize_t next_non_space(const uch *m, Py_ssize_t n, Py_ssize_t i) {
    while (i < n && m[i] == ' ') i++;
    return i;
}

/* --- Candidate cuts --------------------------------------------------------------------------------------- */

/* _sentencex_cuts: sentencex's pieces concatenate to its input, so the cuts are their running lengths. */
static int sentencex_cuts(PyObject *masked, const uch *m, Py_ssize_t n, Vec *cuts) {
    PyObject *args[2] = {language, masked};
    PyObject *pieces = PyObject_Vectorcall(segment_func, args, 2, NULL);
    if (pieces == NULL) return -1;
    PyObject *fast = PySequence_Fast(pieces, "sentencex.segment() must return a sequence");
    Py_DECREF(pieces);
    if (fast == NULL) return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast), total = 0;
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t p = 0; p + 1 < count; p++) {
        Py_ssize_t len =
            PyUnicode_CheckExact(items[p]) ? PyUnicode_GET_LENGTH(items[p]) : PyObject_Length(items[p]);
        if (len < 0) {
            Py_DECREF(fast);
            return -1;
        }
        total += len;
        Py_ssize_t cut = total < n && m[total] != ' ' ? total : next_non_space(m, n, total);
        if (vec_push(cuts, cut) < 0) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

/* --- Inline lists (_list_items) ---------------------------------------------------------------------------- */

enum { STYLE_DOT_PAREN = 1, STYLE_PAREN, STYLE_DOT };

typedef struct {
    Py_ssize_t start, end, number, number_end;
    uch bullet; /* 0 for none */
    int style;
} Item;

/* _LIST_ITEM.match(m, pos): (?<!\S)([•⁃▪◦‣*–-] ?)?(\d{1,3}|[a-z])(\.\)|\)|\.)(?= ). No alternative is worth
 * backtracking into: a bullet or space given back is neither a digit nor a letter, and digits given back
 * leave a digit where the style must be. */
static int list_item(const uch *m, Py_ssize_t n, Py_ssize_t pos, Item *item) {
    if (pos >= n || (pos > 0 && m[pos - 1] != ' ')) return 0;
    Py_ssize_t i = pos;
    item->bullet = 0;
    if (in_chars(BULLETS, m[i])) {
        item->bullet = m[i++];
        if (i < n && m[i] == ' ') i++;
    }
    if (i >= n) return 0;
    Py_ssize_t k = decimal_run(m, n, i);
    if (k == 0 && m[i] >= 'a' && m[i] <= 'z') k = 1;
    if (k == 0 || k > 3) return 0;
    item->start = pos, item->number = i, item->number_end = i + k;
    Py_ssize_t j = i + k;
    if (j + 2 < n && m[j] == '.' && m[j + 1] == ')' && m[j + 2] == ' ') {
        item->style = STYLE_DOT_PAREN, item->end = j + 2;
    } else if (j + 1 < n && m[j] == ')' && m[j + 1] == ' ') {
        item->style = STYLE_PAREN, item->end = j + 1;
    } else if (j + 1 < n && m[j] == '.' && m[j + 1] == ' ') {
        item->style = STYLE_DOT, item->end = j + 1;
    } else {
        return 0;
    }
    return 1;
}

/* _successor as text: str(int(value) + 1) for digits (any script's; the successor is ASCII), the next code
 * point for a letter. Returns its length in out (at most 5: 999 + 1 = 1000). */
static Py_ssize_t successor(const uch *number, Py_ssize_t len, uch *out) {
    if (!IS_DECIMAL(number[0])) {
        out[0] = number[0] + 1;
        return 1;
    }
    long value = 0;
    for (Py_ssize_t i = 0; i < len; i++) value = value * 10 + Py_UNICODE_TODECIMAL(number[i]);
    char digits[16];
    int written = snprintf(digits, sizeof(digits), "%ld", value + 1);
    for (int i = 0; i < written; i++) out[i] = (uch)digits[i];
    return written;
}

/* (cuts before the items after the first, vetoed cuts right after each enumerator), both ascending. */
static int list_items(const uch *m, Py_ssize_t n, Vec *cuts, Vec *vetoes) {
    Item first, item;
    if (!list_item(m, n, next_non_space(m, n, 0), &first)) return 0;
    uch expected[8];
    Py_ssize_t expected_len = successor(m + first.number, first.number_end - first.number, expected);
    if (vec_push(vetoes, next_non_space(m, n, first.end)) < 0) return -1;
    Py_ssize_t pos = first.end;
    while (pos < n) {
        if (!list_item(m, n, pos, &item)) {
            pos++;
            continue;
        }
        pos = item.end;
        Py_ssize_t len = item.number_end - item.number;
        if (len == expected_len && memcmp(m + item.number, expected, len * sizeof(uch)) == 0 &&
            item.style == first.style && item.bullet == first.bullet) {
            if (vec_push(cuts, item.start) < 0 || vec_push(vetoes, next_non_space(m, n, item.end)) < 0) return -1;
            expected_len = successor(m + item.number, len, expected);
        }
    }
    if (cuts->len == 0) vetoes->len = 0;
    return 0;
}

/* --- Added cuts and quotes (_added_cuts, _enclosed), in one pass over the masked text ----------------------- */

/* Where a match of _CLOSED_PARENTHESIS ([.?!…]["'”’]*\)(?= )) ends at ") " (j is the ")"): the quotes before
 * it lead back to a terminal. Matches cannot overlap (only their first character is a terminal), so testing
 * every ") " finds what finditer finds. */
static inline int closes_sentence_in_parenthesis(const uch *m, Py_ssize_t j) {
    Py_ssize_t k = j - 1;
    while (k >= 0 && in_chars(PAREN_QUOTES, m[k])) k--;
    return k >= 0 && in_chars(TERMINALS, m[k]);
}

/* Whether a match of _ORDINARY_WORD_END ((?<![\w.])(?:me|ok|OK|ill|may|May|art|miss)\.(?= )) ends at the
 * ". " whose full stop is at p. No word is a suffix of another, so at most one can; matches cannot overlap. */
static int ends_ordinary_word(const uch *m, Py_ssize_t p) {
    static const char *const words[] = {"me", "ok", "OK", "ill", "may", "May", "art", "miss"};
    static const Py_ssize_t lengths[] = {2, 2, 2, 3, 3, 3, 3, 4};
    if (p == 0) return 0;
    uch last = m[p - 1];
    if (last != 'e' && last != 'k' && last != 'K' && last != 'l' && last != 'y' && last != 't' && last != 's') return 0;
    for (int w = 0; w < 8; w++) {
        Py_ssize_t len = lengths[w], start = p - len, k = 0;
        if (start < 0) continue;
        while (k < len && m[start + k] == (uch)words[w][k]) k++;
        if (k < len) continue;
        return start == 0 || !(IS_WORD(m[start - 1]) || m[start - 1] == '.');
    }
    return 0;
}

/* ASCII characters the pass below stops at. */
static const unsigned char STOP[128] = {['"'] = 1, ['('] = 1, [')'] = 1, ['.'] = 1};

/* _opens_sentence: the quotation mark at `at` stands first in the paragraph or after a sentence end (closers
 * allowed between), and before a word. The masked text's only whitespace is the plain space. */
static int opens_sentence(const uch *m, Py_ssize_t n, Py_ssize_t at) {
    if (at + 1 >= n || m[at + 1] == ' ') return 0;
    Py_ssize_t k = at;
    while (k > 0 && m[k - 1] == ' ') k--;
    if (k == 0) return 1;
    while (k > 0 && in_chars(CLOSERS, m[k - 1])) k--;
    return k > 0 && in_chars(TERMINALS, m[k - 1]);
}

/* Added cuts into *cuts; merged, sorted (opening, closing) intervals of quotes and parentheses into *merged,
 * as a flat array of pairs. Double quotes of every form pair by nesting on one stack, «» and parentheses on
 * their own; unopened closers are ignored, and unclosed openers too, except a single one where a sentence
 * starts: a quotation that runs on into the next paragraph encloses the rest of this one, and a sentence may
 * start where it opens (a cut there). */
static int scan_masked(const uch *m, Py_ssize_t n, Vec *cuts, Vec *merged) {
    Vec spans, quotes, parentheses, guillemets;
    vec_init(&spans), vec_init(&quotes), vec_init(&parentheses), vec_init(&guillemets);
    int result = -1;
    for (Py_ssize_t at = 0; at < n; at++) {
        uch c = m[at];
        if (c < 128 ? !STOP[c] : c != 0x00ab && c != 0x00bb && (c < 0x201c || c > 0x201e)) continue;
        Vec *stack = NULL;
        int push = 0;
        switch (c) {
            case '.':
                if (at + 1 < n && m[at + 1] == ' ' && ends_ordinary_word(m, at) &&
                    vec_push(cuts, next_non_space(m, n, at + 1)) < 0)
                    goto done;
                continue;
            case '"': {
                int opens = at == 0 || in_chars(BEFORE_OPENING_QUOTE, m[at - 1]);
                if (opens && at + 1 < n && m[at + 1] != ' ')
                    stack = &quotes, push = 1;
                else if (!opens)
                    stack = &quotes;
                break;
            }
            case 0x201c:
            case 0x201e:
                stack = &quotes, push = 1;
                break;
            case 0x201d:
                stack = &quotes;
                break;
            case '(':
                stack = &parentheses, push = 1;
                break;
            case ')':
                if (at + 1 < n && m[at + 1] == ' ' && closes_sentence_in_parenthesis(m, at) &&
                    vec_push(cuts, next_non_space(m, n, at + 1)) < 0)
                    goto done;
                stack = &parentheses;
                break;
            case 0x00ab:
                stack = &guillemets, push = 1;
                break;
            case 0x00bb:
                stack = &guillemets;
                break;
        }
        if (stack == NULL) continue;
        if (push) {
            if (vec_push(stack, at) < 0) goto done;
        } else if (stack->len) {
            if (vec_push(&spans, stack->data[--stack->len]) < 0 || vec_push(&spans, at) < 0) goto done;
        }
    }
    if (quotes.len == 1 && opens_sentence(m, n, quotes.data[0])) {
        if (vec_push(&spans, quotes.data[0]) < 0 || vec_push(&spans, n) < 0 || vec_push(cuts, quotes.data[0]) < 0)
            goto done;
    }
    if (spans.len) {
        qsort(spans.data, spans.len / 2, 2 * sizeof(Py_ssize_t), cmp_pair);
        for (Py_ssize_t s = 0; s < spans.len; s += 2) {
            Py_ssize_t opening = spans.data[s], close = spans.data[s + 1];
            if (merged->len && opening <= merged->data[merged->len - 1]) {
                if (close > merged->data[merged->len - 1]) merged->data[merged->len - 1] = close;
            } else if (vec_push(merged, opening) < 0 || vec_push(merged, close) < 0) {
                goto done;
            }
        }
    }
    result = 0;
done:
    vec_free(&spans), vec_free(&quotes), vec_free(&parentheses), vec_free(&guillemets);
    return result;
}

/* _inside: the last interval opening before cut closes at or after it. */
static int inside(const Vec *merged, Py_ssize_t cut) {
    Py_ssize_t lo = 0, hi = merged->len / 2; /* bisect_left over the openings */
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (merged->data[2 * mid] < cut)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && cut <= merged->data[2 * (lo - 1) + 1];
}

/* --- Vetoes (_starts_sentence, _accept) ------------------------------------------------------------------- */

static int starts_sentence(const uch *m, Py_ssize_t n, Py_ssize_t cut) {
    Py_ssize_t end = cut + 8 < n ? cut + 8 : n, i = cut;
    while (i < end && in_chars(OPENERS, m[i])) i++;
    if (i >= end) return 0;
    uch c = m[i];
    if (Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISDIGIT(c) || in_chars(CURRENCY, c)) return 1;
    if (Py_UNICODE_ISALPHA(c) && !Py_UNICODE_ISLOWER(c)) return 1; /* scripts without case */
    /* _LOWER_ENUMERATOR_START: [a-z][.)] then a space */
    return cut + 2 < n && m[cut] >= 'a' && m[cut] <= 'z' && (m[cut + 1] == '.' || m[cut + 1] == ')') &&
           m[cut + 2] == ' ';
}

/* _ENUMERATOR.fullmatch: \(?(?:\d{1,3}|[A-Za-z])[.)] */
static int enumerator(const uch *s, Py_ssize_t len) {
    Py_ssize_t i = len > 0 && s[0] == '(' ? 1 : 0;
    if (i >= len) return 0;
    Py_ssize_t k = decimal_run(s, len, i);
    if (k == 0 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) k = 1;
    if (k == 0 || k > 3) return 0;
    return i + k + 1 == len && (s[i + k] == '.' || s[i + k] == ')');
}

static int accept(const uch *m, Py_ssize_t n, Py_ssize_t previous, Py_ssize_t cut, const Vec *merged) {
    if (!(previous < cut && cut < n) || m[cut - 1] != ' ') return 0;
    /* before = m[previous:before_end], bare = m[previous:bare_end] */
    Py_ssize_t before_end = cut;
    while (before_end > previous && m[before_end - 1] == ' ') before_end--;
    Py_ssize_t bare_end = before_end;
    while (bare_end > previous && in_chars(CLOSERS, m[bare_end - 1])) bare_end--;
    if (bare_end == previous || !in_chars(TERMINALS, m[bare_end - 1])) return 0;
    if (!starts_sentence(m, n, cut) || inside(merged, cut)) return 0;
    /* the last word, the full stop included */
    Py_ssize_t word = before_end;
    while (word > previous && m[word - 1] != ' ') word--;
    Py_ssize_t word_len = before_end - word, bare_word = word;
    while (bare_word < before_end && in_chars(OPENERS, m[bare_word])) bare_word++;
    if (in_words(TITLES, m + bare_word, before_end - bare_word)) return 0;
    if (in_words(NUMBER_ABBREVIATIONS, m + word, word_len) && Py_UNICODE_ISDIGIT(m[cut])) return 0;
    if (in_words(CLOCK, m + word, word_len)) {
        Py_ssize_t zone_end = cut;
        while (zone_end < n && m[zone_end] != ' ') zone_end++;
        while (zone_end > cut && (m[zone_end - 1] == ',' || m[zone_end - 1] == '.' || m[zone_end - 1] == ';'))
            zone_end--;
        if (in_words(TIME_ZONES, m + cut, zone_end - cut) || in_words(WEEKDAYS, m + cut, zone_end - cut)) return 0;
    }
    if (word_len <= 4) {
        Py_ssize_t lead = previous;
        while (lead < before_end && m[lead] == ' ') lead++; /* before.lstrip() */
        if (enumerator(m + lead, before_end - lead)) return 0;
    }
    return 1;
}

/* --- split_with ----------------------------------------------------------------------------------------------- */

static PyObject *split(PyObject *text, Buffers *b, const Vec *annotations) {
    const uch *t = b->t, *m = b->m;
    Py_ssize_t n = b->n;
    PyObject *masked = NULL, *result = NULL;
    Vec candidates, list_cuts, vetoes, merged, cuts;
    vec_init(&candidates), vec_init(&list_cuts), vec_init(&vetoes), vec_init(&merged), vec_init(&cuts);

    if (mask(b, annotations)) {
        masked = ucs4_str(m, n);
        if (masked == NULL) goto done;
    } else {
        masked = Py_NewRef(text);
    }
    if (sentencex_cuts(masked, m, n, &candidates) < 0 || scan_masked(m, n, &candidates, &merged) < 0 ||
        list_items(m, n, &list_cuts, &vetoes) < 0)
        goto done;
    for (Py_ssize_t i = 0; i < list_cuts.len; i++)
        if (vec_push(&candidates, list_cuts.data[i]) < 0) goto done;
    qsort(candidates.data, candidates.len, sizeof(Py_ssize_t), cmp_ssize);

    /* The accept/veto loop; list cuts and vetoes are ascending, so one pointer each tracks membership. */
    Py_ssize_t previous = 0, v = 0, l = 0;
    for (Py_ssize_t c = 0; c < candidates.len; c++) {
        Py_ssize_t cut = candidates.data[c];
        if (c > 0 && cut == candidates.data[c - 1]) continue;
        while (v < vetoes.len && vetoes.data[v] < cut) v++;
        if (v < vetoes.len && vetoes.data[v] == cut) continue;
        while (l < list_cuts.len && list_cuts.data[l] < cut) l++;
        if ((l < list_cuts.len && list_cuts.data[l] == cut) || accept(m, n, previous, cut, &merged)) {
            if (vec_push(&cuts, cut) < 0) goto done;
            previous = cut;
        }
    }

    /* Spans between the cuts, stripped of the text's whitespace. */
    result = PyList_New(0);
    if (result == NULL) goto done;
    for (Py_ssize_t c = 0; c <= cuts.len; c++) {
        Py_ssize_t start = c == 0 ? 0 : cuts.data[c - 1], end = c == cuts.len ? n : cuts.data[c];
        while (start < end && IS_SPACE(t[start])) start++;
        while (end > start && IS_SPACE(t[end - 1])) end--;
        if (start >= end) continue;
        PyObject *first = PyLong_FromSsize_t(start), *last = PyLong_FromSsize_t(end);
        PyObject *span = first && last ? PyTuple_Pack(2, first, last) : NULL;
        Py_XDECREF(first), Py_XDECREF(last);
        if (span == NULL || PyList_Append(result, span) < 0) {
            Py_XDECREF(span);
            Py_CLEAR(result);
            goto done;
        }
        Py_DECREF(span);
    }
done:
    Py_XDECREF(masked);
    vec_free(&candidates), vec_free(&list_cuts), vec_free(&vetoes), vec_free(&merged), vec_free(&cuts);
    return result;
}

static int check_configured(void) {
    if (segment_func == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "claims.importing._segment is not configured (segment.py does it)");
        return -1;
    }
    return 0;
}

static PyObject *split_sentences(PyObject *module, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "split_sentences() takes a str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (check_configured() < 0) return NULL;
    Buffers b;
    Vec annotations;
    if (buffers_init(&b, text) < 0) return NULL;
    vec_init(&annotations);
    PyObject *result = scan_annotations(b.t, b.n, &annotations, NULL) < 0 ? NULL : split(text, &b, &annotations);
    vec_free(&annotations);
    buffers_free(&b);
    return result;
}

/* An annotation's start and end: an Annotation's first two items, else its attributes. */
static int bounds(PyObject *note, Py_ssize_t *start, Py_ssize_t *end) {
    PyObject *s, *e;
    if (Py_IS_TYPE(note, (PyTypeObject *)annotation_type) && PyTuple_GET_SIZE(note) >= 2) {
        s = Py_NewRef(PyTuple_GET_ITEM(note, 0)), e = Py_NewRef(PyTuple_GET_ITEM(note, 1));
    } else {
        s = PyObject_GetAttrString(note, "start");
        e = s ? PyObject_GetAttrString(note, "end") : NULL;
    }
    int ok = s && e && PyLong_CheckExact(s) && PyLong_CheckExact(e);
    if (ok) {
        *start = PyLong_AsSsize_t(s), *end = PyLong_AsSsize_t(e);
        ok = !PyErr_Occurred();
    }
    Py_XDECREF(s), Py_XDECREF(e);
    PyErr_Clear();
    return ok;
}

static PyObject *split_with(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !(PyList_Check(args[1]) || PyTuple_Check(args[1])))
        goto reference;
    if (check_configured() < 0) return NULL;
    PyObject *text = args[0];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), last = 0;
    PyObject *fast = PySequence_Fast(args[1], "annotations must be a sequence");
    if (fast == NULL) {
        PyErr_Clear();
        goto reference;
    }
    /* Only what find_annotations returns: ordered, not overlapping, inside the text. Anything else goes to
     * the reference implementation, which does what it does with it. */
    Vec annotations;
    vec_init(&annotations);
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast);
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t start, end;
        if (!bounds(PySequence_Fast_GET_ITEM(fast, i), &start, &end) || start < last || end < start || end > n) {
            Py_DECREF(fast);
            vec_free(&annotations);
            goto reference;
        }
        if (vec_push(&annotations, start) < 0 || vec_push(&annotations, end) < 0) {
            Py_DECREF(fast);
            vec_free(&annotations);
            return NULL;
        }
        last = end;
    }
    Py_DECREF(fast);
    Buffers b;
    PyObject *result = NULL;
    if (buffers_init(&b, text) == 0) {
        result = split(text, &b, &annotations);
        buffers_free(&b);
    }
    vec_free(&annotations);
    return result;
reference:
    if (split_with_py == NULL) {
        PyErr_SetString(PyExc_TypeError, "split_with(text: str, annotations: list[Annotation])");
        return NULL;
    }
    return PyObject_Vectorcall(split_with_py, args, nargs, NULL);
}

static PyObject *find_annotations(PyObject *module, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "find_annotations() takes a str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (check_configured() < 0) return NULL;
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    if (PyUnicode_FindChar(text, '[', 0, PyUnicode_GET_LENGTH(text), 1) < 0) return found;
    Buffers b;
    if (buffers_init(&b, text) < 0) {
        Py_DECREF(found);
        return NULL;
    }
    if (scan_annotations(b.t, b.n, NULL, found) < 0) Py_CLEAR(found);
    buffers_free(&b);
    return found;
}

static PyObject *configure(PyObject *module, PyObject *args) {
    PyObject *annotation, *segment, *lang, *reference;
    if (!PyArg_ParseTuple(args, "OOUO:configure", &annotation, &segment, &lang, &reference)) return NULL;
    if (!PyType_Check(annotation) || !PyType_IsSubtype((PyTypeObject *)annotation, &PyTuple_Type) ||
        ((PyTypeObject *)annotation)->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "Annotation must be a tuple subclass without a __dict__ (a NamedTuple)");
        return NULL;
    }
    Py_XSETREF(annotation_type, Py_NewRef(annotation));
    Py_XSETREF(segment_func, Py_NewRef(segment));
    Py_XSETREF(language, Py_NewRef(lang));
    Py_XSETREF(split_with_py, Py_NewRef(reference));
    Py_RETURN_NONE;
}

/* --- What this file implements, for segment.py to compare with its own rules ---------------------------- */

static PyObject *word_set(const char *const *words) {
    PyObject *set = PyFrozenSet_New(NULL);
    for (; set && *words; words++) {
        PyObject *word = PyUnicode_FromString(*words);
        if (word == NULL || PySet_Add(set, word) < 0) Py_CLEAR(set);
        Py_XDECREF(word);
    }
    return set;
}

static PyObject *char_string(const uch *chars) {
    Py_ssize_t len = 0;
    while (chars[len]) len++;
    return ucs4_str(chars, len);
}

/* Regex sources as segment.py spells them (raw strings: "\\u2026" is the six characters \u2026). */
static const char *const PATTERNS[][2] = {
    {"_OTHER_SPACE", "[^\\S ]"},
    {"_NON_SPACE", "\\S"},
    {"_CLOSED_PARENTHESIS", "[.?!\\u2026][\\\"'\\u201d\\u2019]*\\)(?= )"},
    {"_ORDINARY_WORD_END", "(?<![\\w.])(?:me|ok|OK|ill|may|May|art|miss)\\.(?= )"},
    {"_LIST_ITEM", "(?<!\\S)([\\u2022\\u2043\\u25aa\\u25e6\\u2023*\\u2013-] ?)?(\\d{1,3}|[a-z])(\\.\\)|\\)|\\.)(?= )"},
    {"_ENUMERATOR", "\\(?(?:\\d{1,3}|[A-Za-z])[.)]"},
    {"_LOWER_ENUMERATOR_START", "[a-z][.)] "},
    {NULL, NULL}};

static const char ANNOTATION_HEAD[] = "\\[\\s*(?:(?P<reference>\\d{1,4})|(?P<note>(?i:note|nb|n)\\s*\\d{1,4}|[a-z])";
static const char ANNOTATION_TAIL[] = "|(?P<empty>))\\s*\\]";

static PyObject *constants(void) {
    PyObject *d = PyDict_New(), *value = NULL, *tags = NULL;
    if (d == NULL) return NULL;
#define PUT(name, expr)                                                      \
    do {                                                                     \
        value = (expr);                                                      \
        if (value == NULL || PyDict_SetItemString(d, name, value) < 0) goto error; \
        Py_CLEAR(value);                                                     \
    } while (0)
    PUT("_TERMINALS", char_string(TERMINALS));
    PUT("_CLOSERS", char_string(CLOSERS));
    PUT("_OPENERS", char_string(OPENERS));
    PUT("_CURRENCY", char_string(CURRENCY));
    PUT("_BEFORE_OPENING_QUOTE", char_string(BEFORE_OPENING_QUOTE));
    PUT("_LIST_OPENERS", char_string(LIST_OPENERS));
    PUT("_TITLES", word_set(TITLES));
    PUT("_NUMBER_ABBREVIATIONS", word_set(NUMBER_ABBREVIATIONS));
    PUT("_CLOCK", word_set(CLOCK));
    PUT("_TIME_ZONES", word_set(TIME_ZONES));
    PUT("_WEEKDAYS", word_set(WEEKDAYS));
    /* _ENCLOSERS' class, as the characters enclosed() switches on */
    PUT("_ENCLOSERS", PyUnicode_FromString("[\"()\xe2\x80\x9c\xe2\x80\x9d\xe2\x80\x9e\xc2\xab\xc2\xbb]"));
    for (int p = 0; PATTERNS[p][0]; p++) PUT(PATTERNS[p][0], PyUnicode_FromString(PATTERNS[p][1]));
    tags = PyTuple_New(N_TAGS);
    if (tags == NULL) goto error;
    for (int i = 0; i < N_TAGS; i++) {
        PyObject *row = Py_BuildValue("(ss)", TAG_SLUGS[i], TAG_PATTERNS[i]);
        if (row == NULL) goto error;
        PyTuple_SET_ITEM(tags, i, row);
    }
    PUT("CLEANUP_TAGS", Py_NewRef(tags));
    /* ANNOTATION_RE's source, built from the tags as segment.py builds it */
    PUT("ANNOTATION_RE", PyUnicode_FromString(ANNOTATION_HEAD));
    for (int i = 0; i < N_TAGS; i++) {
        PyObject *source = PyDict_GetItemString(d, "ANNOTATION_RE");
        PyObject *longer = PyUnicode_FromFormat("%U|(?P<tag_%s>(?i:%s))", source, TAG_SLUGS[i], TAG_PATTERNS[i]);
        PUT("ANNOTATION_RE", longer);
    }
    {
        PyObject *source = PyDict_GetItemString(d, "ANNOTATION_RE");
        PUT("ANNOTATION_RE", PyUnicode_FromFormat("%U%s", source, ANNOTATION_TAIL));
    }
    {
        static const uch surrogates[] = {'[', 0xd800, '-', 0xdfff, ']', 0};
        PUT("_SURROGATE", char_string(surrogates));
    }
    Py_CLEAR(tags);
    return d;
error:
    Py_XDECREF(value);
    Py_XDECREF(tags);
    Py_DECREF(d);
    return NULL;
#undef PUT
}

static PyMethodDef methods[] = {
    {"split_sentences", (PyCFunction)split_sentences, METH_O,
     "Raw (start, end) spans of the sentences of a paragraph (segment.split_sentences_py, natively)."},
    {"split_with", (PyCFunction)(void (*)(void))split_with, METH_FASTCALL,
     "split_sentences for a caller that already found the annotations of the text (segment.split_with_py)."},
    {"find_annotations", (PyCFunction)find_annotations, METH_O,
     "Every marker, cleanup tag and empty [] in the text, in order (segment.find_annotations_py)."},
    {"configure", configure, METH_VARARGS,
     "configure(Annotation, sentencex.segment, language, split_with_py): what segment.py lends this module."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_segment",
                                        "Native accelerator for claims.importing.segment (same algorithm).", -1,
                                        methods};

PyMODINIT_FUNC PyInit__segment(void) {
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL) return NULL;
    s_reference = PyUnicode_InternFromString("reference");
    s_note = PyUnicode_InternFromString("note");
    s_tag = PyUnicode_InternFromString("tag");
    s_empty = PyUnicode_InternFromString("empty");
    s_blank = PyUnicode_InternFromString("");
    if (!s_reference || !s_note || !s_tag || !s_empty || !s_blank) goto error;
    for (int i = 0; i < N_TAGS; i++)
        if ((tag_slug_objects[i] = PyUnicode_InternFromString(TAG_SLUGS[i])) == NULL) goto error;
    PyObject *rules = constants();
    if (rules == NULL || PyModule_AddObject(module, "CONSTANTS", rules) < 0) {
        Py_XDECREF(rules);
        goto error;
    }
    return module;
error:
    Py_DECREF(module);
    return NULL;
}
