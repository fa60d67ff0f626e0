"""The grades endpoints: read the grade in force, grade a document, refuse bad grades."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

TEXT = "Rachid Benhamou was recruited by Mourad Belhaj in 2014.\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from threadline.api import create_app
    from threadline.pipeline import run
    from threadline.store import open_workspace

    root = tmp_path_factory.mktemp("grades-api")
    (root / "in").mkdir()
    (root / "in" / "note.txt").write_text(TEXT, encoding="utf-8")
    with open_workspace(root / "ws", create=True) as ws:
        run(ws, [root / "in"], None)
    return TestClient(create_app(root / "ws"))


def test_ungraded_documents_say_so(client: TestClient) -> None:
    rows = client.get("/api/grades").json()
    assert [r["description"] for r in rows] == ["ungraded"]


def test_grade_a_document_and_read_it_back(client: TestClient) -> None:
    doc = client.get("/api/grades").json()[0]["document"]
    made = client.post(
        "/api/grades",
        json={"target": doc, "source": "b", "information": "2", "reason": "police report"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["grade"] == "B2"
    assert client.get("/api/grades").json()[0]["grade"] == "B2"


def test_bad_grade_is_422_and_unknown_document_404(client: TestClient) -> None:
    assert (
        client.post(
            "/api/grades", json={"target": "x", "source": "Z", "information": "1"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/grades", json={"target": "nope", "source": "A", "information": "1"}
        ).status_code
        == 404
    )
