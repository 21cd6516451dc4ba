import pytest
from spacy.strings import StringStore

from communique import hashes


def test_strings_by_hash_match_the_store_cached_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    store = StringStore(["Kashmir", "Talks", "ceasefire"])
    keys = [store["Kashmir"], store["Talks"], store["Kashmir"], 0]
    assert hashes.strings_of(store, keys) == ["Kashmir", "Talks", "Kashmir", ""]
    assert hashes.strings_of(store, keys, lowered=True) == ["kashmir", "talks", "kashmir", ""]
    assert hashes.string_of(store, store["Talks"], lowered=True) == "talks"
    # A full cache still answers, by converting each time.
    monkeypatch.setattr(hashes, "STRING_CACHE_SIZE", 0)
    monkeypatch.setattr(hashes, "_LOWERED", {0: ""})
    assert hashes.strings_of(store, [store["ceasefire"], store["Talks"]], lowered=True) == ["ceasefire", "talks"]
    assert hashes.string_of(store, store["Kashmir"], lowered=True) == "kashmir"
    assert hashes._LOWERED == {0: ""}
