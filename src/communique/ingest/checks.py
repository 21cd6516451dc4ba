"""Checks every text passes before analysis: size, binary content, decoding, language."""

from __future__ import annotations

import functools

from .errors import BadInput

# Below this many letters language identification is unreliable, so short texts are let through.
MIN_LETTERS_FOR_LANGUAGE = 40
MIN_LANGUAGE_CONFIDENCE = 0.9


def check_size(source: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise BadInput(source, f"too large ({size:,} bytes; limit {max_bytes:,}, set with --max-bytes)")


def decode(source: str, raw: bytes, max_bytes: int) -> str:
    """Bytes to text: refuses empty, binary and undecodable input with the reason."""
    check_size(source, len(raw), max_bytes)
    if not raw.strip():
        raise BadInput(source, "empty input")
    if b"\x00" in raw[:8192]:
        raise BadInput(source, "binary content (NUL bytes), not text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(source, f"not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    return check_text(source, text)


def check_text(source: str, text: str) -> str:
    if not text.strip():
        raise BadInput(source, "empty input")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise BadInput(source, "binary content (control characters), not text")
    return text


@functools.cache
def _identifier():  # type: ignore[no-untyped-def]
    import py3langid.langid as langid_module
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(langid_module.MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    sample = text[:5000]
    language, confidence = _identifier().classify(sample)
    return str(language), float(confidence)


def check_english(source: str, text: str) -> str:
    """Returns the language code; raises for confidently non-English text."""
    if sum(ch.isalpha() for ch in text[:5000]) < MIN_LETTERS_FOR_LANGUAGE:
        return "en"
    language, confidence = detect_language(text)
    if language != "en" and confidence >= MIN_LANGUAGE_CONFIDENCE:
        raise BadInput(source, f"not English (detected '{language}', confidence {confidence:.2f})")
    return "en"
