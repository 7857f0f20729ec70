"""The dependency rules of docs/architecture.md, read from the source: they cannot drift."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports(path: Path) -> set[str]:
    """Absolute names a module imports (relative imports resolved against its package)."""
    package = {"model": "cogov.model", "experiments": "cogov.experiments", "viz": "cogov.viz"}
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [package[rel.parts[0]], *rel.parts[1:]]
    here = parts[:-1] if rel.name != "__init__" else parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_nothing_imports_viz_and_the_model_imports_no_experiment():
    for path in modules("model") + modules("experiments"):
        bad = {n for n in imports(path) if n.startswith("cogov.viz")}
        assert not bad, (path, bad)
    for path in modules("model"):
        bad = {n for n in imports(path) if n.startswith("cogov.experiments")}
        assert not bad, (path, bad)


def test_phases_and_mechanisms_never_import_one_another():
    for folder, package in (("model/phases", "cogov.model.phases"),
                            ("model/mechanisms", "cogov.model.mechanisms")):
        own = {p.stem for p in modules(folder)} - {"__init__", "base"}
        for path in modules(folder):
            if path.stem == "__init__":
                continue
            others = {n.split(".")[3] for n in imports(path)
                      if n.startswith(package + ".") and n.split(".")[3] in own}
            assert others <= {path.stem}, (path, others)
    for path in modules("model/mechanisms") + [ROOT / "model" / "agents.py"]:
        phases = {n for n in imports(path) if n.startswith("cogov.model.phases")}
        assert not phases, (path, phases)


def test_one_place_computes_intervals():
    """Student-t quantiles appear only in experiments/statistics.py."""
    for path in modules("experiments") + modules("viz"):
        if path.name != "statistics.py":
            assert "t.ppf" not in path.read_text(encoding="utf-8"), path


def calls(path: Path) -> set[str]:
    """Names of the functions and classes a module calls (``a.b.f()`` counts as ``f``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            names.add(f.id if isinstance(f, ast.Name) else getattr(f, "attr", ""))
    return names


def test_one_function_builds_the_model_and_one_runner_holds_the_executors():
    """Every experiment runs through runner.run, and every batch of runs through batch.Batch:
    a second way to build a model or start a pool would let commands drift apart."""
    for path in modules("experiments"):
        called = calls(path)
        if path.name != "runner.py":
            assert "CommunityModel" not in called, path
        if path.name not in ("batch.py", "pool.py"):
            assert not called & {"process_pool", "ProcessPoolExecutor", "get_executor"}, path


def test_every_command_module_is_registered():
    from cogov.experiments import cli

    folder = ROOT / "experiments" / "cli"
    commands = {p.stem for p in folder.glob("*.py")} - {"__init__", "__main__", "arguments"}
    assert {m.__name__.rsplit(".", 1)[-1] for m in cli.COMMANDS} == commands
    assert not list((ROOT / "experiments").glob("cli_*.py"))
