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


RESIDENT_OUTCOMES = {"trust", "satisfaction", "grievance"}


def _writes(tree: ast.AST, names: set[str]) -> list[int]:
    """Lines that assign to ``X.name`` or ``X.name[...]`` (directly, augmented, through a local
    alias ``a = X.name`` or as a NumPy ``out=``)."""
    aliases = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and isinstance(node.value, ast.Attribute) and node.value.attr in names
               for t in node.targets if isinstance(t, ast.Name)}

    def hits(target: ast.AST, subscripted: bool = False) -> bool:
        if isinstance(target, (ast.Tuple, ast.List)):
            return any(hits(e, subscripted) for e in target.elts)
        if isinstance(target, ast.Subscript):
            return hits(target.value, True)
        if isinstance(target, ast.Attribute):
            return target.attr in names
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
