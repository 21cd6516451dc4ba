# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The students' per-target and per-sentence loops, compiled.

In numpy, the stance student's target half made a dozen arrays as large as all its targets' windows
together (gathers, a convolution, masks, pooled sums): memory traffic, not arithmetic, and the
cache is cold after every parse. Here each window row is made, pooled and dropped while it is
still in cache, with the GIL released. The numpy-free results are checked against PyTorch's own
layers (``tests/stance/test_stance_student.py``, ``tests/claims/test_claims_student.py``) and
against a plain numpy reference (``tests/core/test_kernels.py``).
"""

from libc.math cimport exp, expf, sqrt
from libc.stdint cimport int64_t, uint64_t
from libc.stdlib cimport free, malloc, qsort


cdef inline void _add_into(float *total, const float *row, Py_ssize_t width) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(width):
        total[k] += row[k]


cdef inline float _dot(const float *row, const float *weights, Py_ssize_t width) noexcept nogil:
    # Four running sums, so the compiler can keep them in one vector register.
    cdef float a = 0, b = 0, c = 0, d = 0
    cdef Py_ssize_t k = 0
    while k + 4 <= width:
        a += row[k] * weights[k]
        b += row[k + 1] * weights[k + 1]
        c += row[k + 2] * weights[k + 2]
        d += row[k + 3] * weights[k + 3]
        k += 4
    while k < width:
        a += row[k] * weights[k]
        k += 1
    return (a + b) + (c + d)


cdef void _max_and_attend(
    const float *hidden,
    Py_ssize_t length,
    Py_ssize_t width,
    const float *attention_w,
    float attention_b,
    float *scores,
    float *maximum,
    float *attended,
) noexcept nogil:
    """Max pooling and attention pooling (softmax over the rows' scores) of ``length`` rows."""
    cdef Py_ssize_t j, k
    cdef float top = -3.4e38, total = 0, share
    cdef const float *row
    for k in range(width):
        maximum[k] = hidden[k]
        attended[k] = 0
    for j in range(length):
        row = hidden + j * width
        for k in range(width):
            maximum[k] = row[k] if row[k] > maximum[k] else maximum[k]
        scores[j] = _dot(row, attention_w, width) + attention_b
        top = scores[j] if scores[j] > top else top
    for j in range(length):
        scores[j] = expf(scores[j] - top)
        total += scores[j]
    for j in range(length):
        row = hidden + j * width
        share = scores[j] / total
        for k in range(width):
            attended[k] += row[k] * share


def convolve_segments(
    const float[:, ::1] products,
    const float[::1] bias,
    const int64_t[::1] starts,
    const int64_t[::1] lengths,
    float[:, ::1] out,
    bint relu,
    bint accumulate,
) -> None:
    """A width-3 convolution over segments (sentences, windows) laid end to end. ``products`` holds
    each row's products with the kernel's previous, same and next positions side by side (rows x 3W);
    row j of the result is ``same[j] + bias + previous[j - 1] + next[j + 1]``, a neighbour in another
    segment counting as zeros (as padding did in training). ReLU if ``relu``; added to ``out`` if
    ``accumulate``, else written. One pass, no temporaries."""
    cdef Py_ssize_t width = out.shape[1]
    cdef Py_ssize_t segments = lengths.shape[0]
    cdef Py_ssize_t s, j, k, length, first
    if segments == 0:
        return
    if products.shape[1] != 3 * width or bias.shape[0] != width or products.shape[0] != out.shape[0]:
        raise ValueError("convolve_segments: shapes do not agree")
    if starts.shape[0] != segments:
        raise ValueError("convolve_segments: shapes do not agree")
    for s in range(segments):
        if starts[s] < 0 or lengths[s] < 0 or starts[s] + lengths[s] > out.shape[0]:
            raise ValueError("convolve_segments: a segment lies outside the rows")
    cdef const float *source = &products[0, 0]
    cdef const float *b = &bias[0]
    cdef float *target = &out[0, 0]
    cdef const float *row
    cdef float *result
    cdef float value
    with nogil:
        for s in range(segments):
            first = starts[s]
            length = lengths[s]
            for j in range(length):
                row = source + (first + j) * 3 * width
                result = target + (first + j) * width
                for k in range(width):
                    value = row[width + k] + b[k]
                    if j > 0:
                        value = value + (row - 3 * width)[k]
                    if j + 1 < length:
                        value = value + (row + 3 * width)[2 * width + k]
                    if relu and value < 0:
                        value = 0
                    if accumulate:
                        result[k] += value
                    else:
                        result[k] = value


def add_label_rows(
    float[:, ::1] products,
    const int64_t[::1] tags,
    const int64_t[::1] ents,
    const int64_t[::1] deps,
    const float[::1] numbers,
    const float[:, ::1] tag_rows,
    const float[:, ::1] ent_rows,
    const float[:, ::1] dep_rows,
    const float[::1] number_row,
) -> None:
    """Adds to each token's row its tag's, entity type's and dependency's rows, and ``number_row``
    where ``numbers`` is not 0 (the claims student's label columns times its first convolution)."""
    cdef Py_ssize_t count = products.shape[0], width = products.shape[1], n, k
    if tags.shape[0] != count or ents.shape[0] != count or deps.shape[0] != count or numbers.shape[0] != count:
        raise ValueError("add_label_rows: one label per row")
    if tag_rows.shape[1] != width or ent_rows.shape[1] != width or dep_rows.shape[1] != width:
        raise ValueError("add_label_rows: shapes do not agree")
    if number_row.shape[0] != width:
        raise ValueError("add_label_rows: shapes do not agree")
    for n in range(count):
        if not (0 <= tags[n] < tag_rows.shape[0] and 0 <= ents[n] < ent_rows.shape[0] and 0 <= deps[n] < dep_rows.shape[0]):
            raise ValueError("add_label_rows: a label id is outside its table")
    if count == 0:
        return
    cdef float *row
    cdef const float *tag
    cdef const float *ent
    cdef const float *dep
    with nogil:
        for n in range(count):
            row = &products[n, 0]
            tag = &tag_rows[tags[n], 0]
            ent = &ent_rows[ents[n], 0]
            dep = &dep_rows[deps[n], 0]
            for k in range(width):
                row[k] += tag[k] + ent[k] + dep[k]
            if numbers[n] != 0:
                _add_into(row, &number_row[0], width)


def pool_targets(
    const float[:, :] shared,
    const int64_t[::1] row_starts,
    const int64_t[::1] lengths,
    const int64_t[::1] ids,
    const int64_t[::1] flags,
    const float[:, :, ::1] specific,
    const float[::1] attention_w,
    float attention_b,
    float[:, ::1] out,
) -> None:
    """The stance student's target half, per target: its window's shared pre-activations
    (``shared[row_starts[t]:row_starts[t] + lengths[t]]``) plus the target-specific rows
    ``specific[position][ids]`` of the width-3 convolution (previous, same, next token; none across
    the window's ends), ReLU, then into ``out[t]``: max pooling, the mean of the target's own rows
    (``flags``; zeros if it has none) and attention pooling, side by side."""
    cdef Py_ssize_t targets = lengths.shape[0]
    cdef Py_ssize_t width = shared.shape[1]
    cdef Py_ssize_t t, j, k, length, at = 0, own, most = 1
    if targets == 0:
        return
    if out.shape[0] != targets or out.shape[1] != 3 * width or specific.shape[2] != width:
        raise ValueError("pool_targets: shapes do not agree")
    if attention_w.shape[0] != width or row_starts.shape[0] != targets:
        raise ValueError("pool_targets: shapes do not agree")
    cdef Py_ssize_t stride = shared.strides[0] // sizeof(float)
    cdef Py_ssize_t rows = shared.shape[0], combos = specific.shape[1], total_rows = 0
    for t in range(targets):
        most = lengths[t] if lengths[t] > most else most
        total_rows += lengths[t]
        if row_starts[t] < 0 or lengths[t] < 1 or row_starts[t] + lengths[t] > rows:
            raise ValueError("pool_targets: a target's window lies outside the shared rows")
    if ids.shape[0] != total_rows or flags.shape[0] != total_rows:
        raise ValueError("pool_targets: ids and flags must cover every target's window")
    for j in range(total_rows):
        if ids[j] < 0 or ids[j] >= combos:
            raise ValueError("pool_targets: an id is outside the specific table")
    cdef const float *base = &shared[0, 0]
    cdef const float *before = &specific[0, 0, 0]
    cdef const float *same = &specific[1, 0, 0]
    cdef const float *after = &specific[2, 0, 0]
    cdef float *hidden = <float *> malloc(most * width * sizeof(float))
    cdef float *scores = <float *> malloc(most * sizeof(float))
    cdef float *row
    cdef float *result
    cdef const float *source
    if hidden == NULL or scores == NULL:
        free(hidden)
        free(scores)
        raise MemoryError()
    with nogil:
        for t in range(targets):
            length = lengths[t]
            for j in range(length):
                row = hidden + j * width
                source = base + (row_starts[t] + j) * stride
                for k in range(width):
                    row[k] = source[k]
                _add_into(row, same + ids[at + j] * width, width)
                if j > 0:
                    _add_into(row, before + ids[at + j - 1] * width, width)
                if j + 1 < length:
                    _add_into(row, after + ids[at + j + 1] * width, width)
                for k in range(width):
                    row[k] = row[k] if row[k] > 0 else 0
            result = &out[t, 0]
            _max_and_attend(hidden, length, width, &attention_w[0], attention_b, scores, result, result + 2 * width)
            own = 0
            for k in range(width):
                result[width + k] = 0
            for j in range(length):
                if flags[at + j]:
                    own += 1
                    _add_into(result + width, hidden + j * width, width)
            if own:
                for k in range(width):
                    result[width + k] /= own
            at += length
    free(hidden)
    free(scores)


def pool_segments(
    const float[:, ::1] hidden,
    const int64_t[::1] starts,
    const int64_t[::1] lengths,
    const float[::1] attention_w,
    float attention_b,
    float[:, ::1] out,
) -> None:
    """Max pooling and attention pooling of each segment ``hidden[starts[s]:starts[s] + lengths[s]]``,
    side by side into ``out[s]`` (the claims student's per-sentence pooling)."""
    cdef Py_ssize_t segments = lengths.shape[0]
    cdef Py_ssize_t width = hidden.shape[1]
    cdef Py_ssize_t s, most = 1
    if segments == 0:
        return
    if out.shape[0] != segments or out.shape[1] != 2 * width or attention_w.shape[0] != width:
        raise ValueError("pool_segments: shapes do not agree")
    if starts.shape[0] != segments:
        raise ValueError("pool_segments: shapes do not agree")
    for s in range(segments):
        most = lengths[s] if lengths[s] > most else most
        if starts[s] < 0 or lengths[s] < 1 or starts[s] + lengths[s] > hidden.shape[0]:
            raise ValueError("pool_segments: a segment lies outside the rows")
    cdef float *scores = <float *> malloc(most * sizeof(float))
    if scores == NULL:
        raise MemoryError()
    with nogil:
        for s in range(segments):
            _max_and_attend(
                &hidden[starts[s], 0], lengths[s], width, &attention_w[0], attention_b, scores, &out[s, 0], &out[s, width]
            )
    free(scores)


# --- the claims model's features, found by hash ---------------------------------------------------

# Feature kinds (``claims.terms``) and the columns of ``DocArrays.hashes``.
cdef enum:
    _W = 1
    _L = 2
    _T = 3
    _E = 4
    _C = 5
    _B = 6
    _TB = 7
    _D = 8
    _SV = 9
cdef enum:
    _LOWER = 0
    _TAG = 2
    _ENT = 3
    _DEP = 4
    _POS = 5
    _LIKE_NUM = 6
    _HEAD = 7
    _SPACE = 8
    _COLUMNS = 9
cdef uint64_t _MIX_FIRST = 0x9E3779B97F4A7C15ULL
cdef uint64_t _MIX_SECOND = 0xC2B2AE3D27D4EB4FULL


cdef inline uint64_t _mix(uint64_t kind, uint64_t first, uint64_t second) noexcept nogil:
    return (first * _MIX_FIRST) ^ (second * _MIX_SECOND) ^ kind


def key_slots(const uint64_t[::1] keys, int64_t[::1] slots) -> None:
    """An open-addressing table over distinct ``keys``: ``slots`` (a power of two, at least twice
    as long) gets each key's index plus one at the first free place from ``key & (size - 1)``."""
    cdef Py_ssize_t size = slots.shape[0], n, place
    if size & (size - 1) or size < 2 * keys.shape[0]:
        raise ValueError("key_slots: the table must be a power of two at least twice the keys")
    slots[:] = 0
    for n in range(keys.shape[0]):
        place = <Py_ssize_t> (keys[n] & <uint64_t> (size - 1))
        while slots[place]:
            place = (place + 1) & (size - 1)
        slots[place] = n + 1


cdef struct _Index:
    const uint64_t *keys
    const uint64_t *kinds
    const uint64_t *firsts
    const uint64_t *seconds
    const int64_t *positions
    const int64_t *slots
    Py_ssize_t mask


cdef inline int64_t _position(const _Index *index, uint64_t kind, uint64_t first, uint64_t second) noexcept nogil:
    """The model position of the feature, or -1. All three parts are compared, not only the key."""
    cdef uint64_t key = _mix(kind, first, second)
    cdef Py_ssize_t place = <Py_ssize_t> (key & <uint64_t> index.mask)
    cdef int64_t found
    while True:
        found = index.slots[place]
        if found == 0:
            return -1
        found -= 1
        if (index.keys[found] == key and index.kinds[found] == kind and index.firsts[found] == first
                and index.seconds[found] == second):
            return index.positions[found]
        place = (place + 1) & index.mask


cdef inline bint _member(uint64_t value, const uint64_t[::1] values) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(values.shape[0]):
        if values[k] == value:
            return True
    return False


cdef int _compare_positions(const void *a, const void *b) noexcept nogil:
    cdef int64_t x = (<const int64_t *> a)[0], y = (<const int64_t *> b)[0]
    return (x > y) - (x < y)


cdef inline Py_ssize_t _emit(
    const _Index *index, uint64_t kind, uint64_t first, uint64_t second, int64_t *found, Py_ssize_t count
) noexcept nogil:
    cdef int64_t position = _position(index, kind, first, second)
    if position >= 0:
        found[count] = position
        count += 1
    return count


def feature_positions(
    const uint64_t[:, ::1] table,
    const uint64_t[::1] lemmas,
    const int64_t[::1] starts,
    const int64_t[::1] ends,
    const uint64_t[::1] keys,
    const uint64_t[::1] kinds,
    const uint64_t[::1] firsts,
    const uint64_t[::1] seconds,
    const int64_t[::1] positions,
    const int64_t[::1] slots,
    const uint64_t[::1] constants,
    const uint64_t[::1] length_ids,
    const uint64_t[::1] dependency_ids,
    const uint64_t[::1] subject_ids,
    const uint64_t[::1] reporting_ids,
    const uint64_t[::1] opinion_ids,
    const uint64_t[::1] past_tags,
    int64_t[::1] found,
    int64_t[::1] counts,
    int64_t[::1] last_words,
) -> int:
    """The linear claims model's features of each sentence [starts[s], ends[s]), as ``TermIndex``
    defines them, looked up in the table of ``key_slots``: their sorted, distinct model positions
    end to end in ``found`` (``counts[s]`` per sentence; returns the total), and the index of each
    sentence's last word token in ``last_words`` (-1: none). ``constants``: the string ids of
    ``<num>``, ``<s>``, ``</s>``, ``reported``, ``opinion`` and ``number``; ``length_ids``: of the
    four length classes. ``found`` must hold 11 positions per token plus 3 per sentence."""
    cdef Py_ssize_t sentences = starts.shape[0], tokens = table.shape[0]
    if table.shape[1] != _COLUMNS or lemmas.shape[0] != tokens:
        raise ValueError("feature_positions: one lemma per token row of 9 columns")
    if ends.shape[0] != sentences or counts.shape[0] != sentences or last_words.shape[0] != sentences:
        raise ValueError("feature_positions: one count and last word per sentence")
    if constants.shape[0] != 6 or length_ids.shape[0] != 4:
        raise ValueError("feature_positions: 6 constants and 4 length classes")
    cdef Py_ssize_t entries = keys.shape[0]
    if kinds.shape[0] != entries or firsts.shape[0] != entries or seconds.shape[0] != entries:
        raise ValueError("feature_positions: the index columns differ in length")
    if positions.shape[0] != entries or slots.shape[0] < 2 * entries or slots.shape[0] & (slots.shape[0] - 1):
        raise ValueError("feature_positions: the slot table does not fit the index")
    cdef Py_ssize_t s, i, needed = 0
    for s in range(sentences):
        if starts[s] < 0 or ends[s] < starts[s] or ends[s] > tokens:
            raise ValueError("feature_positions: a sentence lies outside the tokens")
        needed += 11 * (ends[s] - starts[s]) + 3
    if found.shape[0] < needed:
        raise ValueError("feature_positions: found is too short")
    for i in range(tokens):
        if table[i, _DEP] != 0 and _member(table[i, _DEP], subject_ids):
            if <int64_t> i + <int64_t> table[i, _HEAD] < 0 or <int64_t> i + <int64_t> table[i, _HEAD] >= tokens:
                raise ValueError("feature_positions: a head lies outside the tokens")
    cdef _Index index
    cdef uint64_t empty = 0
    index.keys = &keys[0] if entries else &empty
    index.kinds = &kinds[0] if entries else &empty
    index.firsts = &firsts[0] if entries else &empty
    index.seconds = &seconds[0] if entries else &empty
    index.positions = &positions[0] if entries else NULL
    index.slots = &slots[0]
    index.mask = slots.shape[0] - 1
    cdef uint64_t number = constants[0], opening = constants[1], closing = constants[2]
    cdef uint64_t reported = constants[3], opinion = constants[4], has_number = constants[5]
    cdef uint64_t word, lemma, tag, dep, previous_word, previous_tag
    cdef int64_t *out = &found[0]
    cdef Py_ssize_t total = 0, first, count, k, kept, length
    cdef bint any_number
    with nogil:
        for s in range(sentences):
            first = total
            count = total
            previous_word = opening
            previous_tag = opening
            any_number = False
            last_words[s] = -1
            for i in range(starts[s], ends[s]):
                if table[i, _SPACE] != 0:
                    continue
                last_words[s] = i
                if table[i, _LIKE_NUM] != 0:
                    word = number
                    any_number = True
                else:
                    word = table[i, _LOWER]
                lemma = lemmas[i]
                tag = table[i, _TAG]
                dep = table[i, _DEP]
                count = _emit(&index, _W, word, 0, out, count)
                count = _emit(&index, _L, lemma, 0, out, count)
                count = _emit(&index, _B, previous_word, word, out, count)
                count = _emit(&index, _T, tag, 0, out, count)
                count = _emit(&index, _TB, previous_tag, tag, out, count)
                if table[i, _ENT] != 0:
                    count = _emit(&index, _E, table[i, _ENT], 0, out, count)
                if _member(dep, dependency_ids):
                    count = _emit(&index, _D, dep, table[i, _POS], out, count)
                if _member(dep, subject_ids):
                    count = _emit(&index, _SV, table[i, _LOWER], lemmas[i + <int64_t> table[i, _HEAD]], out, count)
                if _member(lemma, reporting_ids) and _member(tag, past_tags):
                    count = _emit(&index, _C, reported, 0, out, count)
                if _member(lemma, opinion_ids):
                    count = _emit(&index, _C, opinion, 0, out, count)
                previous_word = word
                previous_tag = tag
            count = _emit(&index, _B, previous_word, closing, out, count)
            length = ends[s] - starts[s]
            k = 0 if length < 6 else 1 if length < 12 else 2 if length < 25 else 3
            count = _emit(&index, _C, length_ids[k], 0, out, count)
            if any_number:
                count = _emit(&index, _C, has_number, 0, out, count)
            # Sorted and distinct: a feature counts once per sentence, however many tokens name it.
            qsort(out + first, count - first, sizeof(int64_t), _compare_positions)
            kept = first
            for k in range(first, count):
                if k == first or out[k] != out[kept - 1]:
                    out[kept] = out[k]
                    kept += 1
            counts[s] = kept - first
            total = kept
    return total


def score_segments(
    const int64_t[::1] found,
    const int64_t[::1] counts,
    const double[::1] values,
    const double[::1] squares,
    const int64_t[::1] ranks,
    int64_t pushing_count,
    double intercept,
    double[::1] probabilities,
    int64_t[:, ::1] strongest,
) -> None:
    """The linear claims model per sentence: ``found`` holds each sentence's sorted, distinct
    feature positions end to end (``counts[s]`` each). ``probabilities[s]`` is the logistic of
    ``intercept`` plus the sum of ``values`` over the L2 norm of ``sqrt(sum(squares))`` (summed in
    position order, so the same features always give the same float); ``strongest[s]`` the smallest
    ``ranks`` below ``pushing_count`` (the features that pushed the score up most), ascending,
    padded with -1."""
    cdef Py_ssize_t sentences = counts.shape[0], top = strongest.shape[1], features = values.shape[0]
    cdef Py_ssize_t s, k, j, at = 0, kept, total = 0
    if probabilities.shape[0] != sentences or strongest.shape[0] != sentences:
        raise ValueError("score_segments: one probability and one row of ranks per sentence")
    if squares.shape[0] != features or ranks.shape[0] != features:
        raise ValueError("score_segments: values, squares and ranks differ in length")
    for s in range(sentences):
        if counts[s] < 0:
            raise ValueError("score_segments: a negative count")
        total += counts[s]
    if total > found.shape[0]:
        raise ValueError("score_segments: the counts exceed the positions")
    for k in range(total):
        if found[k] < 0 or found[k] >= features:
            raise ValueError("score_segments: a position is outside the model")
    cdef double summed, norm
    cdef int64_t rank, position
    with nogil:
        for s in range(sentences):
            summed = 0
            norm = 0
            kept = 0
            for k in range(at, at + counts[s]):
                position = found[k]
                summed += values[position]
                norm += squares[position]
                rank = ranks[position]
                if rank < pushing_count and top > 0 and (kept < top or rank < strongest[s, kept - 1]):
                    # Insertion into the sorted row of the smallest ranks so far.
                    j = kept if kept < top else top - 1
                    while j > 0 and strongest[s, j - 1] > rank:
                        strongest[s, j] = strongest[s, j - 1]
                        j -= 1
                    strongest[s, j] = rank
                    if kept < top:
                        kept += 1
            for j in range(kept, top):
                strongest[s, j] = -1
            norm = sqrt(norm)
            if norm == 0:
                norm = 1
            probabilities[s] = 1.0 / (1.0 + exp(-(intercept + summed / norm)))
            at += counts[s]
