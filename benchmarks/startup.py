"""What each ``threadline`` command costs before it does any work: CPU seconds of
``--help`` and of the commands of the records path on a tiny workspace.

Each command runs as a new process, as a user runs it (``python -c "from
threadline.cli.app import main; main()" ARGS``), and its CPU (user + system, all
threads) is read from the children's resource usage. The workspace holds four
person records (invented), so what is measured is the fixed cost every run of the
command pays: the interpreter, the imports, typer building and parsing the command,
opening the workspace. Several source trees run side by side, interleaved
repetition by repetition, so a busy machine weighs on each alike; the median of
``--repeat`` runs is reported:

    python benchmarks/startup.py --src src --src /tmp/before/src [--repeat 7] [--json]

Each tree is byte-compiled first (``compileall``): an installed threadline has its
``.pyc`` files, while ``PYTHONDONTWRITEBYTECODE`` would have every process compile
the sources again (``--no-compile`` measures that too).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

from child_cpu import run_counted  # the benchmark folder is the script's own

#: Invented people: four rows, two of them one person.
ROWS = (
    "rec_id,given_name,surname,date_of_birth,soc_sec_id,address\n"
    "r1,Amon,Tessaly,19800102,1234567,1 Main St\n"
    "r2,Amon,Tesaly,19800102,1234567,1 Main St\n"
    "r3,Berit,Ostrava,19751111,7654321,2 High St\n"
    "r4,Carl,Dunmore,19900505,5555555,3 Low St\n"
)
COLUMN_MAP = "id=rec_id,given=given_name,family=surname,dob=date_of_birth,doc=soc_sec_id"
#: The floor: the interpreter alone, then the two libraries every command needs.
FLOORS = {
    "python (nothing imported)": ["-c", "pass"],
    "python -c 'import typer, rich.console'": ["-c", "import typer, rich.console"],
}


def _commands(folder: Path) -> dict[str, list[str]]:
    ws = str(folder / "ws")
    return {
        "--help": ["--help"],
        "records import (new workspace)": [
            "records",
            "import",
            str(folder / "people.csv"),
            "--map",
            COLUMN_MAP,
            "-w",
            "{fresh}",
        ],
        "records link": ["records", "link", "-w", ws],
        "resolve": ["resolve", "-w", ws],
        "export": ["export", "-o", str(folder / "export.json"), "-w", ws],
        "documents --json": ["documents", "--json", "-w", ws],
    }


def _cpu(args: list[str], env: dict[str, str]) -> float:
    used, done = run_counted(args, env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return used


def _env(src: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src.resolve()), COLUMNS="100")
    env.pop("THREADLINE_WORKSPACE", None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--src",
        action="append",
        type=Path,
        help="a source tree holding threadline/ (repeat to compare; default: ./src)",
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-compile", action="store_true", help="leave the .pyc files out")
    parser.add_argument("--only", action="append", help="measure only these commands")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    trees = args.src or [Path("src")]
    for tree in trees:
        if not (tree / "threadline" / "cli" / "app.py").exists():
            raise SystemExit(f"{tree}: no threadline/cli/app.py under it")
        if not args.no_compile:
            compileall.compile_dir(tree / "threadline", quiet=1)
    cli = [sys.executable, "-c", "from threadline.cli.app import main; main()"]
    runs: dict[str, dict[str, list[float]]] = {str(t): {} for t in trees}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "people.csv").write_text(ROWS, encoding="utf-8")
        commands = _commands(folder)
        if args.only:
            commands = {k: v for k, v in commands.items() if k in args.only}
        # the workspace the commands read: imported and linked once, by the first tree
        # (each tree's own `records link` then runs before its `resolve`, which finds
        # nothing changed, as after `records link` on Febrl)
        ws = str(folder / "ws")
        setup = ["records", "import", str(folder / "people.csv"), "--map", COLUMN_MAP]
        _cpu([*cli, *setup, "-w", ws], _env(trees[0]))
        _cpu([*cli, "records", "link", "-w", ws], _env(trees[0]))
        fresh = 0
        for _ in range(args.repeat):
            for tree in trees:
                env = _env(tree)
                for name, floor in FLOORS.items():
                    runs[str(tree)].setdefault(name, []).append(_cpu([sys.executable, *floor], env))
                for name, cmd in commands.items():
                    fresh += 1
                    argv = [a.replace("{fresh}", str(folder / f"fresh{fresh}")) for a in cmd]
                    runs[str(tree)].setdefault(name, []).append(_cpu([*cli, *argv], env))
    medians = {
        tree: {name: round(statistics.median(xs), 3) for name, xs in found.items()}
        for tree, found in runs.items()
    }
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load": [round(x, 1) for x in os.getloadavg()],
        "repeat": args.repeat,
        "compiled": not args.no_compile,
        "median_cpu_seconds": medians,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    names = list(next(iter(medians.values())))
    print(f"{result['machine']}, load {result['load']}, median of {args.repeat}, CPU s")
    print("| command | " + " | ".join(str(t) for t in trees) + " |")
    print("|---|" + "---|" * len(trees))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{medians[str(t)][name]:.2f}" for t in trees) + " |")


if __name__ == "__main__":
    main()
