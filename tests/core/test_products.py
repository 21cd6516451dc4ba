import numpy as np

from communique.products import ProductRows


def test_rows_equal_the_product_and_only_met_rows_are_computed() -> None:
    rng = np.random.default_rng(0)
    table = rng.normal(size=(50, 8)).astype(np.float32)
    weights = rng.normal(size=(8, 6)).astype(np.float32)
    products = ProductRows(table, weights)
    ids = np.array([3, 7, 3, 0, 49], dtype=np.int64)
    np.testing.assert_allclose(products.rows(ids), table[ids] @ weights, rtol=1e-5, atol=1e-5)
    assert products.known == 4  # 0, 3, 7 and 49: a repeated id is computed once
    later = np.array([7, 8], dtype=np.int64)
    np.testing.assert_allclose(products.rows(later), table[later] @ weights, rtol=1e-5, atol=1e-5)
    assert products.known == 5


def test_returned_rows_are_a_copy_the_caller_may_change() -> None:
    table = np.eye(4, dtype=np.float32)
    products = ProductRows(table, np.ones((4, 2), dtype=np.float32))
    first = products.rows(np.array([1], dtype=np.int64))
    first += 10.0
    np.testing.assert_array_equal(products.rows(np.array([1], dtype=np.int64)), [[1.0, 1.0]])
    assert products.rows(np.zeros(0, dtype=np.int64)).shape == (0, 2)


def test_storage_grows_with_the_words_met_not_the_vocabulary() -> None:
    from communique.products import INITIAL_ROWS

    rng = np.random.default_rng(1)
    table = rng.normal(size=(5 * INITIAL_ROWS, 4)).astype(np.float32)
    weights = rng.normal(size=(4, 3)).astype(np.float32)
    products = ProductRows(table, weights)
    # More words than the first allocation holds, met over several documents in any order.
    for ids in np.array_split(rng.permutation(2 * INITIAL_ROWS + 5), 7):
        np.testing.assert_allclose(products.rows(ids), table[ids] @ weights, rtol=1e-5, atol=1e-5)
    assert products.known == 2 * INITIAL_ROWS + 5
    assert products.capacity < len(table)  # storage sized by the words met
    early = np.arange(10)
    np.testing.assert_allclose(products.rows(early), table[early] @ weights, rtol=1e-5, atol=1e-5)


def test_threads_filling_at_once_get_every_word_its_own_product() -> None:
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(2)
    table = rng.normal(size=(4000, 16)).astype(np.float32)
    weights = rng.normal(size=(16, 32)).astype(np.float32)
    products = ProductRows(table, weights)
    batches = [rng.integers(0, len(table), 300) for _ in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(products.rows, batches))
    for ids, rows in zip(batches, results, strict=True):
        np.testing.assert_allclose(rows, table[ids] @ weights, rtol=1e-4, atol=1e-4)
    assert products.known == len(np.unique(np.concatenate(batches)))
