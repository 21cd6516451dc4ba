"""The budget stages (stance, claims, themes) of another revision against the working tree, in turn.

A shared machine's speed drifts by more than most changes are worth, so two benchmark runs one after
the other cannot tell a few per cent apart. This script loads both versions into one process and
times them on the same parsed documents, batch by batch, alternating which goes first:

    .venv/bin/python benchmarks/compare_revisions.py REVISION [PATH ...] [--repeat N] [--rounds N]

REVISION is any git revision of this repository (a commit, a tag, ``HEAD~3``). Its ``src/communique``
is extracted to a temporary folder under the name ``communique_then`` (the package's own module
names rewritten to match; its Cython modules compiled there), and shares the working tree's spaCy
pipeline. Both run the backends given by ``--stance-backend`` and ``--claims-backend`` (``student`` by
default). Stage outputs are not compared here; the tests and the eval commands do that.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import spacy
from throughput import DEFAULT_INPUT, load_documents

from communique import Analyzer, Document
from communique.analyzer import keep_out_of_gc, sentences_of
from communique.config import Settings
from communique.model import Analysis

REPO = Path(__file__).resolve().parents[1]
BUDGET = ("stance", "claims", "themes")
THEN = "communique_then"


def extract(revision: str, folder: Path) -> None:
    """``src/communique`` of the revision as package ``communique_then`` in ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "src/communique"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "src" / "communique").rename(folder / THEN)
    for path in (folder / THEN).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # Absolute module names in strings (stage and command discovery, package data).
        path.write_text(text.replace('"communique.', f'"{THEN}.'), encoding="utf-8")


def build_compiled(folder: Path) -> None:
    """Compiles the revision's Cython modules in place, as its install would (Cython: dev extra)."""
    sources = sorted((folder / THEN).rglob("*.pyx"))
    if not sources:
        return
    extensions = [
        (".".join(path.relative_to(folder).with_suffix("").parts), str(path.relative_to(folder))) for path in sources
    ]
    script = (
        "import sys\n"
        "from Cython.Build import cythonize\n"
        "from setuptools import Extension, setup\n"
        f"setup(ext_modules=cythonize([Extension(n, [s]) for n, s in {extensions!r}], quiet=True),\n"
        "      script_args=['build_ext', '--inplace'])\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=folder, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision")
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT_INPUT)])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stance-backend", default="student")
    parser.add_argument("--claims-backend", default="student")
    args = parser.parse_args()

    documents = load_documents(args.paths, args.repeat)
    settings = {"stance_backend": args.stance_backend, "claims_backend": args.claims_backend}
    now = Analyzer(Settings(**settings))
    with tempfile.TemporaryDirectory() as folder:
        extract(args.revision, Path(folder))
        build_compiled(Path(folder))
        sys.path.insert(0, folder)
        real_load = spacy.load
        spacy.load = lambda *_, **__: now.nlp  # one pipeline and vocab for both versions
        try:
            then_package = __import__(THEN, fromlist=["Analyzer", "config"])
            then = then_package.Analyzer(then_package.config.Settings(**settings))
        finally:
            spacy.load = real_load
        stages = {
            args.revision: [s for s in then.stages if s.name in BUDGET],
            "working tree": [s for s in now.stages if s.name in BUDGET],
        }
        parse, seconds = run(now, documents, stages, args.rounds)
    for name, total in seconds.items():
        print(f"{name:<24} stance+claims+themes {100 * total / parse:5.1f} % of parse time")
    first, second = seconds.values()
    print(f"working tree / {args.revision}: {second / first:.3f}")


def run(
    now: Analyzer, documents: list[Document], stages: dict[str, list[Any]], rounds: int, batch: int = 8
) -> tuple[float, dict[str, float]]:
    """Parse time, and each version's budget-stage time on the same parsed docs (first batch: warm-up)."""
    parse = 0.0
    seconds = dict.fromkeys(stages, 0.0)
    warm = True
    for round_number in range(rounds):
        for first in range(0, len(documents), batch):
            chunk = documents[first : first + batch]
            start = time.perf_counter()
            parsed = list(now.nlp.pipe(d.text for d in chunk))
            elapsed = time.perf_counter() - start
            order = list(stages) if (first // batch + round_number) % 2 == 0 else list(stages)[::-1]
            for document, doc in zip(chunk, parsed, strict=True):
                base = Analysis(document=document, sentences=sentences_of(doc))
                for stage in now.stages:
                    if stage.name in BUDGET:
                        break
                    stage(doc, base)
                for name in order:
                    analysis = base.model_copy(deep=True)
                    start = time.perf_counter()
                    for stage in stages[name]:
                        stage(doc, analysis)
                    if not warm:
                        seconds[name] += time.perf_counter() - start
            if warm:
                warm = False
                keep_out_of_gc()
            else:
                parse += elapsed
    return parse, seconds


if __name__ == "__main__":
    main()
