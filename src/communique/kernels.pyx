# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The students' per-target and per-sentence loops, compiled.

In numpy, the stance student's target half made a dozen arrays as large as all its targets' windows
together (gathers, a convolution, masks, pooled sums): memory traffic, not arithmetic, and the
cache is cold after every parse. Here each window row is made, pooled and dropped while it is
still in cache, with the GIL released. The numpy-free results are checked against PyTorch's own
layers (``tests/stance/test_stance_student.py``, ``tests/claims/test_claims_student.py``) and
against a plain numpy reference (``tests/core/test_kernels.py``).
"""

from libc.math cimport expf
from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc


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
