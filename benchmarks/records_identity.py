"""Identity over investigation tables: a seeded generator, threadline's command-line
path and plain Splink on the same rows, scored pairwise (issue 16).

The generator writes four tables of the kind investigations turn on, each row
belonging to one generated person (the truth):

- ``members.csv`` membership forms: full name (sometimes ``FAMILY Given``), kunya,
  date of birth (``dd/mm/yyyy``), passport number, address;
- ``rentals.csv`` leases: tenant, national identity card, address, from, to; some
  leases are signed under a false name with the person's real card (a reused
  document);
- ``stops.csv`` border stops: given names and surname in two columns (sometimes
  swapped), date of birth, passport, plate;
- ``subscribers.csv`` phone subscribers: name, date of birth, number, address,
  identity card.

The noise of such tables: transliterated given names (Mohammed / Muhammad),
family-name drift (el-Amrani / Amrani, Ouazzani / Wazzani), typos, name order,
missing values, a mistyped date of birth, moves. The hard cases: siblings (one
family name, one address, sometimes one phone, their own given names and dates
of birth), namesakes (two people with one full name and different dates of
birth), kunyas and nicknames shared by several members ("Abu Hamza"), documents
reused under false names.

Scoring: every row of every table is a record; pairwise precision, recall and F1
over all row pairs, a pair predicted when both rows are records of one exported
entity (``threadline export``, the entity's ``records``), true when both rows
belong to one person. Also counted: entities holding two different numbers of
one document type (passport, identity card), and entities that hold two siblings.

The threadline path is what a new user runs after reading docs/sources.md: one
mapping per table, ``threadline ingest-records`` for each, ``threadline
resolve``, ``threadline export``. Plain Splink runs with the settings in
``records_identity_splink.py`` (written before any change to threadline, never
tuned afterwards). Run::

    python benchmarks/records_identity.py --people 600 --seed 16
    python benchmarks/records_identity.py --people 6000 --seed 16

Add ``--no-types`` to write the mappings without declared document types.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic_people import Generator, Person, _typo  # noqa: E402

KUNYAS = [
    "Abu Hamza",
    "Abu Omar",
    "Abu Musab",
    "Abu Bakr",
    "Abu Yahya",
    "Abu Anas",
    "Abu Khalid",
    "Abu Suleiman",
    "Abu Mohammed",
    "Abu Abdallah",
    "Abu Dujana",
    "Abu Talha",
    "Abu Hafs",
    "Abu Ubayda",
    "Abu Zubayr",
]
NICKNAMES = ["Le Grand", "Tonton", "Shorty", "Yahya", "Moussa", "Le Belge", "Hamoudi", "Doc"]
TABLES = ("members.csv", "rentals.csv", "stops.csv", "subscribers.csv")
#: the document type of each table's number column (what a mapping can declare)
DOCUMENT_COLUMNS = {
    "members.csv": ("passport_no", "passport"),
    "rentals.csv": ("id_card", "national_id"),
    "stops.csv": ("passport", "passport"),
    "subscribers.csv": ("id_card", "national_id"),
}


@dataclass
class Member:
    """A generated person with the attributes these tables carry."""

    base: Person
    id_card: str
    passport: str | None
    kunya: str | None
    plate: str
    siblings: set[int] = field(default_factory=set)

    @property
    def pid(self) -> int:
        return self.base.pid


@dataclass
class Tables:
    """The generated rows of each table and the truth: person of each (table, row)."""

    rows: dict[str, list[dict[str, str]]]
    person: dict[tuple[str, int], int]
    siblings: set[tuple[int, int]]
    documents: dict[tuple[str, int], tuple[str, str]]  # (table, row) -> (type, number)


class RecordsWorld:
    """People and their rows in the four tables, reproducible from ``seed``."""

    def __init__(self, seed: int) -> None:
        self.gen = Generator(seed)
        self.rng = self.gen.rng
        self.next_card = 100_000_000

    def _card(self) -> str:
        self.next_card += self.rng.randrange(1, 997)
        n = self.next_card
        return f"{n % 1000:03d}-{n // 1000:07d}-{n % 97:02d}"

    def member(self, sibling_of: Member | None = None) -> Member:
        rng = self.rng
        base = self.gen.person(sibling_of=sibling_of.base if sibling_of else None)
        if sibling_of is not None and rng.random() < 0.15:
            # namesake-like siblings are rare; a twin keeps the date of birth
            base = Person(**{**base.__dict__, "dob": sibling_of.base.dob})
        kunya = None
        if rng.random() < 0.55:
            kunya = rng.choice(KUNYAS) if rng.random() < 0.75 else rng.choice(NICKNAMES)
        m = Member(
            base,
            self._card(),
            base.passport if rng.random() < 0.75 else None,
            kunya,
            f"{rng.choice('ABCDEFGHJK')}{rng.choice('KLMNPRSTVX')}-{rng.randrange(100, 999)}",
        )
        if sibling_of is not None:
            m.siblings = {sibling_of.pid, *sibling_of.siblings}
        return m

    def namesake(self, of: Member) -> Member:
        """Another person with the same full name, born another day."""
        m = self.member()
        start = dt.date(1955, 1, 1).toordinal()
        dob = dt.date.fromordinal(self.rng.randrange(start, dt.date(2005, 12, 31).toordinal()))
        m.base = Person(
            **{
                **m.base.__dict__,
                "given": of.base.given,
                "given_at": of.base.given_at,
                "family": of.base.family,
                "family_at": of.base.family_at,
                "article": of.base.article,
                "dob": dob,
            }
        )
        return m

    def name(self, m: Member, *, noisy: bool) -> str:
        return self.gen._name(m.base, noisy=noisy)

    def split_name(self, m: Member, *, noisy: bool) -> tuple[str, str]:
        full = self.name(m, noisy=noisy)
        words = full.split()
        if words[0].isupper() and len(words[0]) > 1:  # FAMILY Given
            caps = [w for w in words if w.isupper()]
            rest = [w for w in words if not w.isupper()]
            return " ".join(rest), " ".join(w.capitalize() for w in caps)
        given_words = len(m.base.given[m.base.given_at].split())
        return " ".join(words[:given_words]), " ".join(words[given_words:])

    def dob(self, m: Member, *, noisy: bool) -> dt.date | None:
        rng = self.rng
        d = m.base.dob
        if noisy:
            r = rng.random()
            if r < 0.1:
                return None
            if r < 0.13 and d.day <= 12:
                return dt.date(d.year, d.day, d.month)  # day and month swapped
            if r < 0.16:
                try:
                    return d.replace(day=min(28, max(1, d.day + rng.choice((-1, 1)))))
                except ValueError:
                    return d
        return d

    def address(self, m: Member, *, noisy: bool) -> str:
        rng = self.rng
        if noisy and rng.random() < 0.2:
            return self.gen._address()  # moved
        if noisy and rng.random() < 0.08:
            return _typo(rng, m.base.address)
        return m.base.address

    def number(self, value: str, *, noisy: bool) -> str:
        if noisy and self.rng.random() < 0.02:
            return _typo(self.rng, value)
        return value


def _fmt_dmy(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _fmt_iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def generate(people: int, *, seed: int = 16) -> Tables:
    """Rows of the four tables for about ``people`` people (about 3.3 rows each)."""
    w = RecordsWorld(seed)
    rng = w.rng
    members: list[Member] = []
    by_pid: dict[int, Member] = {}
    while len(members) < people:
        r = rng.random()
        if members and r < 0.2:
            m = w.member(sibling_of=members[rng.randrange(len(members))])
            for s in m.siblings:
                by_pid[s].siblings.add(m.pid)
        elif members and r < 0.25:
            m = w.namesake(members[rng.randrange(len(members))])
        else:
            m = w.member()
        members.append(m)
        by_pid[m.pid] = m
    siblings = {tuple(sorted((m.pid, s))) for m in members for s in m.siblings if s in by_pid}
    rows: dict[str, list[dict[str, str]]] = {t: [] for t in TABLES}
    person: dict[tuple[str, int], int] = {}
    documents: dict[tuple[str, int], tuple[str, str]] = {}
    for m in members:
        n_members = 1 if rng.random() < 0.7 else 2
        n_rent = rng.choice((0, 0, 1, 1, 2))
        n_stops = rng.choice((0, 0, 1, 2, 3))
        n_subs = rng.choice((0, 1, 1, 2))
        made = 0
        for _ in range(n_members):
            noisy = made > 0
            passport = w.number(m.passport, noisy=noisy) if m.passport else ""
            if noisy and rng.random() < 0.3:
                passport = ""
            kunya = m.kunya or ""
            if noisy and kunya and rng.random() < 0.3:
                kunya = ""
            row = {
                "form_no": f"F-{len(rows['members.csv']) + 1:06d}",
                "full_name": w.name(m, noisy=noisy),
                "kunya": kunya,
                "date_of_birth": _fmt_dmy(w.dob(m, noisy=noisy)),
                "passport_no": passport,
                "address": w.address(m, noisy=noisy),
            }
            _add(rows, person, documents, "members.csv", row, m.pid, "passport_no", "passport")
            made += 1
        for _ in range(n_rent):
            noisy = made > 0
            name = w.name(m, noisy=noisy)
            if rng.random() < 0.12:
                # a false name on the person's real identity card
                name = w.name(w.member(), noisy=False)
                w.gen.next_pid -= 1
            start = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
            row = {
                "lease_no": f"L{len(rows['rentals.csv']) + 1:05d}",
                "tenant": name,
                "id_card": w.number(m.id_card, noisy=noisy),
                "address": w.gen._address(),
                "from": start.isoformat(),
                "to": (start + dt.timedelta(days=rng.randrange(60, 500))).isoformat(),
            }
            _add(rows, person, documents, "rentals.csv", row, m.pid, "id_card", "national_id")
            made += 1
        for _ in range(n_stops):
            noisy = made > 0
            given, family = w.split_name(m, noisy=noisy)
            if noisy and rng.random() < 0.08:
                given, family = family, given
            passport = w.number(m.passport, noisy=noisy) if m.passport else ""
            row = {
                "stop": f"S{len(rows['stops.csv']) + 1:06d}",
                "given_names": given,
                "surname": family,
                "birth_date": _fmt_iso(w.dob(m, noisy=noisy)),
                "passport": passport,
                "plate": m.plate,
            }
            _add(rows, person, documents, "stops.csv", row, m.pid, "passport", "passport")
            made += 1
        for _ in range(n_subs):
            noisy = made > 0
            card = w.number(m.id_card, noisy=noisy) if rng.random() < 0.6 else ""
            row = {
                "msisdn": m.base.phone if rng.random() < 0.8 else w.gen._phone(),
                "subscriber": w.name(m, noisy=noisy),
                "dob": _fmt_iso(w.dob(m, noisy=noisy)),
                "address": w.address(m, noisy=noisy),
                "id_card": card,
            }
            _add(rows, person, documents, "subscribers.csv", row, m.pid, "id_card", "national_id")
            made += 1
    for table, table_rows in rows.items():
        # shuffle the rows of each table, keeping the truth with them
        order = list(range(len(table_rows)))
        rng.shuffle(order)
        old_person = {i: person.pop((table, i + 2)) for i in range(len(table_rows))}
        old_docs = {i: documents.pop((table, i + 2), None) for i in range(len(table_rows))}
        rows[table] = [table_rows[i] for i in order]
        for new, old in enumerate(order):
            person[(table, new + 2)] = old_person[old]
            if old_docs[old]:
                documents[(table, new + 2)] = old_docs[old]  # type: ignore[assignment]
    return Tables(rows, person, siblings, documents)


def _add(
    rows: dict[str, list[dict[str, str]]],
    person: dict[tuple[str, int], int],
    documents: dict[tuple[str, int], tuple[str, str]],
    table: str,
    row: dict[str, str],
    pid: int,
    doc_column: str,
    doc_type: str,
) -> None:
    rows[table].append(row)
    at = (table, len(rows[table]) + 1)  # the header is row 1
    person[at] = pid
    if row[doc_column]:
        # numbers compare as letters and digits: 684--0100195-19 is 684-0100195-19
        number = "".join(c for c in row[doc_column] if c.isalnum()).upper()
        documents[at] = (doc_type, number)


# -- the mappings a new user writes from docs/sources.md ----------------------------


def mappings(*, types: bool) -> dict[str, str]:
    """One mapping per table, in the style of docs/sources.md."""

    def doc(column: str, kind: str) -> str:
        line = f"    document: {column}\n"
        if types:
            line += f"    document_type: {kind}\n"
        return line

    return {
        "members.yaml": (
            "version: 1\nname: membership forms\nsource:\n  date_order: dmy\nid: form_no\n"
            "entities:\n  member:\n    schema: Person\n    name: full_name\n"
            "    aliases: kunya\n    dob: date_of_birth\n"
            + doc("passport_no", "passport")
            + "    address: address\n"
        ),
        "rentals.yaml": (
            "version: 1\nname: rentals\nid: lease_no\nentities:\n  tenant:\n"
            "    schema: Person\n    name: tenant\n"
            + doc("id_card", "national_id")
            + "  premises:\n    schema: Address\n    name: address\n"
            "ties:\n  - {type: located_in, source: tenant, target: premises, "
            "start: from, end: to}\n"
        ),
        "stops.yaml": (
            "version: 1\nname: border stops\nid: stop\nentities:\n  traveller:\n"
            "    schema: Person\n    name: [given_names, surname]\n    dob: birth_date\n"
            + doc("passport", "passport")
            + "    properties:\n      plate: plate\n"
        ),
        "subscribers.yaml": (
            "version: 1\nname: subscribers\nentities:\n  subscriber:\n"
            "    schema: Person\n    name: subscriber\n    dob: dob\n    phone: msisdn\n"
            "    address: address\n" + doc("id_card", "national_id")
        ),
    }


def write(tables: Tables, folder: Path, *, types: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, table_rows in tables.rows.items():
        with (folder / table).open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(table_rows[0]))
            writer.writeheader()
            writer.writerows(table_rows)
    for name, text in mappings(types=types).items():
        (folder / name).write_text(text, encoding="utf-8")


# -- scoring --------------------------------------------------------------------------


def _pairs(groups: list[list[Any]]) -> set[tuple[Any, Any]]:
    out = set()
    for g in groups:
        g = sorted(set(g))
        out.update((a, b) for i, a in enumerate(g) for b in g[i + 1 :])
    return out


def score(tables: Tables, groups: list[list[tuple[str, int]]]) -> dict[str, Any]:
    """Pairwise P/R/F1 of predicted groups of (table, row), and the constraint counts."""
    truth_groups: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for at, pid in tables.person.items():
        truth_groups[pid].append(at)
    truth = _pairs(list(truth_groups.values()))
    predicted = _pairs(groups)
    tp = len(truth & predicted)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    two_numbers = 0
    relatives = 0
    largest = 0
    for g in groups:
        largest = max(largest, len({tables.person[at] for at in g}))
        by_type: dict[str, set[str]] = defaultdict(set)
        for at in g:
            if at in tables.documents:
                kind, number = tables.documents[at]
                by_type[kind].add(number)
        if any(len(v) > 1 for v in by_type.values()):
            two_numbers += 1
        pids = {tables.person[at] for at in g}
        relatives += sum(1 for a, b in tables.siblings if a in pids and b in pids)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "entities_with_two_numbers_of_one_type": two_numbers,
        "sibling_pairs_merged": relatives,
        "most_people_in_one_entity": largest,
    }


# -- threadline through the command line -------------------------------------------------


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("threadline")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "threadline.cli"]


def run_threadline(folder: Path) -> tuple[list[list[tuple[str, int]]], dict[str, float]]:
    """init, ingest-records each table, resolve, export: the exported entities' rows."""
    cli = _cli()
    ws = folder / "ws"
    times: dict[str, float] = {}

    def run(*args: str) -> None:
        done = subprocess.run([*cli, *args], capture_output=True, text=True, check=False)
        if done.returncode not in (0, 3):  # 3: some rows warned or refused
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    if ws.exists():
        shutil.rmtree(ws)  # a fresh workspace: never links stored by an earlier run
    t0 = time.perf_counter()
    run("init", str(ws))
    for table in TABLES:
        mapping = folder / table.replace(".csv", ".yaml")
        run(
            "ingest-records", str(folder / table), "-m", str(mapping), "-w", str(ws), "--no-resolve"
        )
    times["ingest_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    run("resolve", "-w", str(ws))
    times["resolve_s"] = round(time.perf_counter() - t0, 1)
    out = folder / "export.json"
    run("export", "-o", str(out), "-w", str(ws))
    data = json.loads(out.read_text(encoding="utf-8"))
    titles = {d["id"]: Path(d.get("path") or d.get("title") or "").name for d in data["documents"]}
    groups = []
    for e in data["entities"]:
        rows = [(titles.get(r["document"], ""), int(r["row"])) for r in e.get("records", [])]
        rows = [at for at in rows if at[0] in TABLES]
        if rows:
            groups.append(rows)
    return groups, times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=600)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--no-types", action="store_true", help="mappings without document types")
    ap.add_argument("--skip-splink", action="store_true")
    ap.add_argument("--skip-threadline", action="store_true")
    ap.add_argument("--folder", type=Path, default=None, help="keep the files here")
    args = ap.parse_args(argv)
    tables = generate(args.people, seed=args.seed)
    n_rows = sum(len(r) for r in tables.rows.values())
    result: dict[str, Any] = {
        "people": len(set(tables.person.values())),
        "rows": n_rows,
        "seed": args.seed,
        "declared_document_types": not args.no_types,
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="records-identity-") as tmp:
        folder = args.folder or Path(tmp)
        write(tables, folder, types=not args.no_types)
        if not args.skip_threadline:
            groups, times = run_threadline(folder)
            result["threadline"] = {**score(tables, groups), **times}
        if not args.skip_splink:
            from records_identity_splink import run_plain_splink

            t0 = time.perf_counter()
            groups = run_plain_splink(tables.rows)
            result["plain_splink"] = {
                **score(tables, groups),
                "seconds": round(time.perf_counter() - t0, 1),
            }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    random.seed(0)
    raise SystemExit(main())
