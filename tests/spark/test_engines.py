"""The Spark engine gives what the embedded engine gives: the same mentions from the
fictional demo case, the same record clusters, the same components; a workspace
goes to Parquet and back unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.demo import CASE_DIR
from threadline.errors import InputError
from threadline.extract.pipeline import EXTRACTOR
from threadline.ingest import ingest_paths
from threadline.model import Document
from threadline.model.person_record import PersonRecord
from threadline.resolve.linkage import DuckDBRecordLinker
from threadline.resolve.records import link_records
from threadline.spark import tables
from threadline.spark.extract import extract_to_parquet, extract_workspace_spark
from threadline.spark.linkage import SparkRecordLinker
from threadline.spark.workspace import export_parquet, import_parquet, read_table
from threadline.store import open_workspace

pytestmark = pytest.mark.spark
runner = CliRunner()


def mention_keys(ws: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            m.id,
            m.document,
            m.start,
            m.end,
            m.text,
            m.label,
            m.key,
            json.dumps(m.attrs, sort_keys=True),
        )
        for m in ws.mentions()
    )


@pytest.fixture(scope="module")
def spark_extracted(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo case extracted on Spark, in a workspace of its own."""
    root = tmp_path_factory.mktemp("spark-demo")
    ws = open_workspace(root / "ws", create=True)
    ingest_paths(ws, [CASE_DIR])
    result = extract_workspace_spark(ws, session=spark, output=str(root / "parquet"))
    return {"ws": ws, "result": result, "parquet": root / "parquet"}


def test_extraction_on_spark_finds_the_same_mentions_ties_and_claims(
    demo_run: dict[str, Any], spark_extracted: dict[str, Any]
) -> None:
    ws = spark_extracted["ws"]
    assert spark_extracted["result"].failed == {}
    with open_workspace(demo_run["workspace"]) as embedded:
        assert len(embedded.mentions()) > 100
        assert mention_keys(ws) == mention_keys(embedded)
        assert sorted(a.id for a in ws.assertions()) == sorted(a.id for a in embedded.assertions())
        assert sorted((c.id, c.value) for c in ws.claims()) == sorted(
            (c.id, c.value) for c in embedded.claims()
        )
        assert ws.extracted_documents(EXTRACTOR) == embedded.extracted_documents(EXTRACTOR)


def test_spark_extraction_is_written_as_parquet_with_exact_quotes(
    spark_extracted: dict[str, Any],
) -> None:
    ws = spark_extracted["ws"]
    texts = {d.id: d.text for d in ws.documents()}
    ties = read_table(spark_extracted["parquet"], "assertions")
    assert len(ties) == len(ws.assertions())
    for row in ties:  # every quote is the stored text at its span
        ev = row["evidence"]
        assert texts[ev["document"]][ev["start"] : ev["end"]] == ev["quote"]
    assert len(read_table(spark_extracted["parquet"], "mentions")) == len(ws.mentions())


def test_a_document_that_fails_on_spark_is_named_and_the_others_kept(
    spark: Any, tmp_path: Path
) -> None:
    good = Document(
        "dgood", "a" * 64, "good.txt", "text", "Karim Saadouni met Yara Belhadj.", language="en"
    )
    bad = Document("dbad", "b" * 64, "bad.txt", "text", "Omar Lahbib met Ines Varga.")
    frame = spark.createDataFrame(
        tables.arrow_table("documents", [tables.document_row(d) for d in (good, bad)])
    )
    # the bad document has no language: it asks for a model that is not installed
    result = extract_to_parquet(frame, str(tmp_path), model="no_such_model")
    assert list(result.failed) == ["dbad"]
    assert "no_such_model" in result.failed["dbad"] and "not installed" in result.failed["dbad"]
    mentions = read_table(tmp_path, "mentions")
    assert {m["document"] for m in mentions} == {"dgood"}
    assert {m["text"] for m in mentions} >= {"Karim Saadouni", "Yara Belhadj"}


def people() -> list[PersonRecord]:
    """Fictional people: spellings that drift, a fake identity, brothers who must stay apart."""
    rows = [
        ("Mohammed Belkadi", "1980-03-12", "Rue Verte 4 Kelderhaven", "MB1234567"),
        ("Muhammad Belkadi", "1980-03-12", "Rue Verte 4 Kelderhaven", None),
        ("Mohamed Bel Kadi", "1980-12-03", None, "MB1234567"),
        ("Youssef Belkadi", "1983-07-01", "Rue Verte 4 Kelderhaven", None),
        ("Karim Saadouni", "1991-05-20", "Havenlaan 12 Vostberg", "KS7654321"),
        ("Kareem Saadouni", "1991-05-20", None, None),
        ("Samir Touati", "1988-01-30", "Kerkstraat 9 Vostberg", "ST1112223"),
        ("Sami Touati", "1990-02-14", "Kerkstraat 9 Vostberg", None),
        ("Ines Varga", "1979-11-30", None, "IV5556667"),
        ("Ines Varga", "1979-11-30", "Marktplein 3 Kelderhaven", None),
        ("Anna Verlinde", "1985-06-06", None, None),
        ("Omar Lahbib", "1975-09-09", "Dijkweg 1 Noordkust", "OL9998887"),
    ]
    out = []
    for i, (name, dob, address, doc) in enumerate(rows):
        out.append(
            PersonRecord(
                f"r{i}",
                "d1",
                i + 2,
                str(i),
                name,
                f"m{i}",
                dob=dob,
                address=address,
                doc_number=doc,
            )
        )
    return out


def partition(clusters: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for record, cluster in clusters.items():
        groups.setdefault(cluster, set()).add(record)
    return {frozenset(g) for g in groups.values()}


def test_spark_linkage_gives_duckdbs_clusters_links_and_weights(spark: Any) -> None:
    records = people()
    duck = link_records(records, DuckDBRecordLinker(threads=1), threshold=0.95)
    on_spark = link_records(records, SparkRecordLinker(session=spark), threshold=0.95)
    assert partition(on_spark.clusters) == partition(duck.clusters)
    same = partition(duck.clusters)
    assert frozenset({"r0", "r1", "r2"}) in same  # spellings and a shared passport
    assert not any({"r0", "r3"} <= g for g in same)  # brothers stay apart
    assert [(lk.a, lk.b) for lk in on_spark.links] == [(lk.a, lk.b) for lk in duck.links]
    for a, b in zip(on_spark.links, duck.links, strict=True):
        assert a.rule == b.rule
        if a.match_weight is not None:
            assert a.match_weight == pytest.approx(b.match_weight, abs=1e-6)
            assert [r.level for r in a.reasons] == [r.level for r in b.reasons]


def test_records_link_with_the_spark_engine_on_the_command_line(spark: Any, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        "id,name,dob,doc\n"
        + "".join(f"{r.source_id},{r.name},{r.dob},{r.doc_number or ''}\n" for r in people()),
        encoding="utf-8",
    )
    results = {}
    for engine in ("embedded", "spark"):
        ws = tmp_path / engine
        got = runner.invoke(app, ["records", "import", str(csv), "-w", str(ws)])
        assert got.exit_code == 0, got.output
        got = runner.invoke(app, ["records", "link", "--engine", engine, "-w", str(ws), "--json"])
        assert got.exit_code == 0, got.output
        out = json.loads(got.stdout)
        results[engine] = sorted((lk["a"]["record"], lk["b"]["record"]) for lk in out["links"])
        assert out["clusters"] < len(people())
    assert results["spark"] == results["embedded"]


def test_analyze_with_the_spark_engine_stores_the_same_components_and_pagerank(
    demo_run: dict[str, Any], spark: Any, tmp_path: Path
) -> None:
    with open_workspace(demo_run["workspace"]) as embedded:
        before = embedded.metrics()
        root = tmp_path / "parquet"
        export_parquet(embedded, root)
    ws_path = tmp_path / "ws"
    with open_workspace(ws_path, create=True) as ws:
        import_parquet(ws, root, extractor=EXTRACTOR)
        assert ws.metrics() == before  # the Parquet round trip loses nothing
    got = runner.invoke(app, ["analyze", "--engine", "spark", "-w", str(ws_path), "--json"])
    assert got.exit_code == 0, got.output
    counts = json.loads(got.stdout)
    assert counts["on_spark"] == ["component", "pagerank", "label_propagation"]
    assert "betweenness" in counts["on_driver"] and "key_player" in counts["on_driver"]
    with open_workspace(ws_path) as ws:
        after = ws.metrics()
    assert set(after) == set(before)
    assert {e: m["component"] for e, m in after.items()} == {
        e: m["component"] for e, m in before.items()
    }
    for e, m in after.items():
        assert m["pagerank"] == pytest.approx(before[e]["pagerank"], abs=2e-6)
        assert m["betweenness"] == before[e]["betweenness"]
        assert "label_propagation" in m


def test_a_workspace_goes_to_parquet_and_back_unchanged(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    with open_workspace(demo_run["workspace"]) as source:
        counts = export_parquet(source, root)
        assert counts["entities"] > 10 and counts["ties"] > 10
        with open_workspace(tmp_path / "copy", create=True) as copy:
            import_parquet(copy, root, extractor=EXTRACTOR)
            assert mention_keys(copy) == mention_keys(source)
            assert [e.id for e in copy.entities()] == [e.id for e in source.entities()]
            assert [(t.id, t.evidence) for t in copy.ties()] == [
                (t.id, t.evidence) for t in source.ties()
            ]
            assert [d.text for d in copy.documents()] == [d.text for d in source.documents()]


def test_a_bad_parquet_import_names_the_document_and_changes_nothing(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    with open_workspace(demo_run["workspace"]) as source:
        export_parquet(source, root)
    rows = read_table(root, "mentions")
    rows[0]["document"] = "d-nowhere"
    from threadline.spark.workspace import write_table

    write_table(root, "mentions", rows)
    with open_workspace(tmp_path / "copy", create=True) as copy:
        with pytest.raises(InputError, match="d-nowhere"):
            import_parquet(copy, root, extractor=EXTRACTOR)
        assert copy.documents() == [] and copy.mentions() == []


def test_spark_analyze_on_a_parquet_workspace_writes_the_same_components(
    demo_run: dict[str, Any], spark: Any, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    with open_workspace(demo_run["workspace"]) as source:
        export_parquet(source, root)
        embedded = source.metrics()
    got = runner.invoke(app, ["spark", "analyze", str(root), "--pagerank-rounds", "10", "--json"])
    assert got.exit_code == 0, (got.output, str(got.exception)[:3000])
    assert json.loads(got.stdout)["actors"] == len(embedded)
    rows = read_table(root, "metrics")
    on_spark = {r["entity"]: r["value"] for r in rows if r["measure"] == "component"}
    assert set(on_spark) == set(embedded)

    def groups(component: dict[str, float]) -> set[frozenset[str]]:
        out: dict[float, set[str]] = {}
        for entity, c in component.items():
            out.setdefault(c, set()).add(entity)
        return {frozenset(g) for g in out.values()}

    assert groups(on_spark) == groups({e: m["component"] for e, m in embedded.items()})
    ranks = {r["entity"]: r["value"] for r in rows if r["measure"] == "pagerank"}
    assert sum(ranks.values()) == pytest.approx(1.0)
