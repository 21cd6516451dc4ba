"""Exports: every table in three formats, the 61-column GDELT 2.0 event file, GraphML."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from communique.corpus import query as q
from communique.corpus.export import export
from communique.corpus.export.gdelt import GDELT_COLUMNS, gdelt_quad_class
from communique.corpus.ingest import Ingestor, read_all
from communique.ingest import ReadOptions
from communique.store import EXPORT_TABLES, Store, open_store
from synthetic_corpus import RuleAnalyzer, synthetic_records, write_jsonl

# The column list GDELT users already use (GDELT 2.0 event codebook order), written out independently.
GDELT2_EVENT_HEADER = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    base = tmp_path_factory.mktemp("export")
    corpus = write_jsonl(synthetic_records(), base / "corpus.jsonl")
    opened = open_store(str(base / "c.duckdb"))
    Ingestor(opened, RuleAnalyzer()).run([str(corpus)], read_all([str(corpus)], ReadOptions(check_language=False)))
    yield opened
    opened.close()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_every_table_is_exported_with_all_rows(store: Store, tmp_path: Path, fmt: str) -> None:
    paths = export(store, fmt, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{t}.{fmt}" for t in EXPORT_TABLES)
    for path in paths:
        table = path.name.split(".")[0]
        if fmt == "csv":
            with path.open(encoding="utf-8", newline="") as handle:
                count = sum(1 for _ in csv.DictReader(handle))
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            count = pq.read_table(path).num_rows
        else:
            count = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if json.loads(line))
        assert count == store.count(table), table
    if fmt == "parquet":
        import pyarrow.parquet as pq

        events = pq.read_table(tmp_path / "events.parquet")
        assert str(events.schema.field("cameo_code").type) == "string"
        assert "040" in events.column("cameo_code").to_pylist() or "051" in events.column("cameo_code").to_pylist()


def test_gdelt_export_loads_with_the_gdelt_column_list(store: Store, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    assert list(GDELT_COLUMNS) == GDELT2_EVENT_HEADER
    (path,) = export(store, "gdelt", tmp_path)
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=GDELT2_EVENT_HEADER),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in GDELT2_EVENT_HEADER}, strings_can_be_null=False
        ),
    )
    rows = table.to_pylist()
    assert len(rows) == store.query("SELECT COUNT(DISTINCT event_key) FROM events WHERE NOT negated")[1][0][0]
    assert all(len(line.split("\t")) == 61 for line in path.read_text(encoding="utf-8").splitlines())
    codes = {row["EventCode"] for row in rows}
    assert "040" in codes and all(len(code) == 3 for code in codes), "leading zeros kept"
    for row in rows:
        assert row["EventRootCode"] == row["EventCode"][:2]
        assert row["QuadClass"] == gdelt_quad_class(row["EventRootCode"])
        assert len(row["SQLDATE"]) == 8 and row["MonthYear"] == row["SQLDATE"][:6]
        assert int(row["NumMentions"]) >= int(row["NumArticles"]) >= int(row["NumSources"]) >= 1
        assert row["ActionGeo_CountryCode"] == "" and row["Actor1Geo_Lat"] == ""
        assert len(row["DATEADDED"]) == 14 and row["SOURCEURL"].startswith("https://")
    pakmil = next(row for row in rows if row["Actor1Code"] == "PAKMIL")
    assert (pakmil["Actor1CountryCode"], pakmil["Actor1Type1Code"]) == ("PAK", "MIL")
    uno = next(row for row in rows if row["Actor1Code"] == "IGOUNO" or row["Actor2Code"] == "IGOUNO")
    group = uno["Actor1KnownGroupCode"] if uno["Actor1Code"] == "IGOUNO" else uno["Actor2KnownGroupCode"]
    assert group == "UNO"
    assert max(int(row["NumSources"]) for row in rows) == 2, "syndicated copies counted as sources"


def test_gdelt_quad_class_follows_gdelt_grouping() -> None:
    assert [gdelt_quad_class(f"{n:02d}") for n in range(1, 21)] == ["1"] * 5 + ["2"] * 4 + ["3"] * 5 + ["4"] * 6


def test_graphml_reads_back_with_networkx(store: Store, tmp_path: Path) -> None:
    import networkx as nx

    (path,) = export(store, "graphml", tmp_path)
    graph = nx.read_graphml(path)
    edges = q.network(store)
    assert graph.number_of_edges() == len(edges)
    for edge in edges:
        data = graph.edges[edge["source"], edge["target"]]
        assert data["weight"] == edge["events"]
        assert data["mean_goldstein"] == pytest.approx(edge["mean_goldstein"])
    assert graph.nodes["PAKMIL"]["label"] == "Name of PAKMIL"
