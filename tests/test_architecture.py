"""The dependency rules of docs/architecture.md, read from the source: they cannot drift."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports(path: Path, runtime: bool = False) -> set[str]:
    """Absolute names a module imports (relative imports resolved against its package); with
    ``runtime``, without those under ``if TYPE_CHECKING:``, which only type checkers see."""
    package = {"model": "cogov.model", "experiments": "cogov.experiments", "viz": "cogov.viz"}
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [package[rel.parts[0]], *rel.parts[1:]]
    here = parts[:-1] if rel.name != "__init__" else parts[:-1]
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if runtime:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                node.body = []
    for node in ast.walk(tree):
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


RESIDENT_OUTCOMES = {"trust", "satisfaction", "grievance"}


def _writes(tree: ast.AST, names: set[str], cells_only: bool = False) -> list[int]:
    """Lines that assign to ``X.name`` or ``X.name[...]`` (directly, augmented, through a local
    alias ``a = X.name`` or as a NumPy ``out=``); with ``cells_only``, to ``X.name[...]`` only
    (a running total may share a column's name)."""
    aliases = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and isinstance(node.value, ast.Attribute) and node.value.attr in names
               for t in node.targets if isinstance(t, ast.Name)}

    def hits(target: ast.AST, subscripted: bool = False) -> bool:
        if isinstance(target, (ast.Tuple, ast.List)):
            return any(hits(e, subscripted) for e in target.elts)
        if isinstance(target, ast.Subscript):
            return hits(target.value, True)
        if isinstance(target, ast.Attribute):
            return target.attr in names and (subscripted or not cells_only)
        return isinstance(target, ast.Name) and subscripted and target.id in aliases

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                    and node.target.id in aliases:
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            targets = [k.value for k in node.keywords if k.arg == "out"]
            if any(isinstance(t, ast.Name) and t.id in aliases for t in targets):
                lines.append(node.lineno)
        else:
            continue
        if any(hits(t) for t in targets):
            lines.append(node.lineno)
    return sorted(lines)


def test_only_the_residents_phase_changes_trust_satisfaction_and_grievance():
    allowed = {ROOT / "model" / "phases" / "residents.py", ROOT / "model" / "population.py"}
    for path in modules("model"):
        if path in allowed:
            continue
        lines = _writes(ast.parse(path.read_text(encoding="utf-8")), RESIDENT_OUTCOMES)
        assert not lines, f"{path.relative_to(ROOT)} writes {RESIDENT_OUTCOMES} at {lines}"
    from cogov.model.agents import Resident

    for name in ("satisfaction", "grievance", "trust_party", "trust_rc", "trust_gov",
                 "trust_so", "trust_enterprise"):
        assert getattr(Resident, name).fset is None, name


def test_the_write_check_sees_aliases_and_out_arguments():
    src = ("trust = m.population.trust\ntrust[:, 1] += 0.1\n"
           "np.clip(trust, 0, 1, out=trust)\nm.population.grievance[ids] = 0\n")
    assert _writes(ast.parse(src), RESIDENT_OUTCOMES) == [2, 3, 4]



# What the day's phases stand on (docs/architecture.md): the issue table, the population, the
# actors, the day log, the resource ledger, the issue lifecycle, and the schema and loading
# beneath them.
BELOW_PHASES = {"config", "schema", "loading", "structure", "population", "network", "issues",
                "agents", "daylog", "ledger", "volunteer_time", "lifecycle"}


def test_phases_import_only_what_lies_below_them():
    for path in modules("model/phases"):
        if path.stem == "__init__":
            continue
        model_modules = {n.split(".")[2] for n in imports(path, runtime=True)
                         if n.startswith("cogov.model.") and len(n.split(".")) > 2}
        assert model_modules <= BELOW_PHASES, (path.name, model_modules - BELOW_PHASES)
    for path in modules("model/mechanisms") + [ROOT / "model" / "agents.py"]:
        above = {n for n in imports(path, runtime=True)
                 if n.startswith(("cogov.model.metrics", "cogov.model.model"))}
        assert not above, (path.name, above)
    assert not {n for n in imports(ROOT / "model" / "agents.py", runtime=True)
                if n.startswith(("cogov.model.lifecycle", "cogov.model.mechanisms"))}


def test_the_handling_phase_loops_over_the_actors_itself():
    tree = ast.parse((ROOT / "model" / "phases" / "handling.py").read_text(encoding="utf-8"))
    handle = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "handle")
    loops = [n for n in ast.walk(handle) if isinstance(n, ast.For)]
    assert any("model.acting_order()" in ast.unparse(loop.iter) for loop in loops)


# Who holds an issue, at what level, whether it is open: changed only by model/lifecycle.py (and
# the issue table's own methods). Ripening and effort are their phases' business.
LIFECYCLE_COLUMNS = {"handler", "ready", "level", "status", "closed", "detected", "channel",
                     "found_stage", "last_push", "joint", "attempts", "recurrence_of"}


def test_the_issue_lifecycle_lives_in_one_place():
    allowed = {ROOT / "model" / "lifecycle.py", ROOT / "model" / "issues.py"}
    for path in modules("model"):
        if path in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = _writes(tree, LIFECYCLE_COLUMNS, cells_only=True)
        lines += [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
                  and isinstance(n.func, ast.Attribute) and n.func.attr == "close"
                  and ast.unparse(n.func.value) in ("t", "issues", "model.issues", "m.issues")]
        assert not lines, f"{path.relative_to(ROOT)} changes an issue's record at {lines}"
