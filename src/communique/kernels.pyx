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
