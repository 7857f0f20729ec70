"""Sensitivity analysis of a sweep: Morris elementary effects or Sobol indices (SALib).

``cogov sensitivity FILE`` runs the experiment's Morris or Sobol design (resuming if its folder
exists) and then, for each scenario and each metric in ``outputs.sensitivity_metrics``, averages
the replicates of every sample point and computes the indices: μ*, its confidence interval and
σ for Morris; first-order and total indices with confidence intervals for Sobol. It writes
``sensitivity.csv`` and one plot per scenario and metric.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cogov.model.loading import ScenarioError  # noqa: E402

from .design import _require_salib, salib_problem, sample_matrix  # noqa: E402
from .spec import Experiment  # noqa: E402


def short(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def analyse(exp: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """Indices per scenario, metric and parameter, as a tidy table."""
    design = exp.spec.design
    if design.kind not in ("morris", "sobol"):
        raise ScenarioError(f"{exp.path}: sensitivity needs a morris or sobol design, not "
                            f"'{design.kind}'")
    _require_salib()
    from SALib.analyze import morris, sobol

    problem = salib_problem(design)
    x = sample_matrix(design, exp.spec.root_seed)
    ok = runs[runs["status"] == "ok"]
    # A sample point equal to an earlier one was run once, under the earlier point's id.
    run_point = {(r.name, r.point_id): r.point_id if r.same_as is None else r.same_as
                 for r in exp.resolutions}
    rows = []
    for scenario, group in ok.groupby("scenario", sort=False):
        means = group.groupby("point_id").mean(numeric_only=True)
        wanted = [run_point.get((scenario, p), p) for p in range(len(x))]
        missing = len(set(wanted) - set(means.index))
        if missing:
            raise ScenarioError(f"{scenario}: {missing} sample points have no successful run; "
                                "rerun the sweep with --resume")
        means = means.loc[wanted]
        for j, metric in enumerate(exp.spec.outputs.sensitivity_metrics):
            if metric not in means:
                where = exp.where(("outputs", "sensitivity_metrics", j))
                raise ScenarioError(f"{where}: no run reported the metric '{metric}'")
            y = means[metric].to_numpy(dtype=float)
            if design.kind == "morris":
                res = morris.analyze(problem, x, y, num_levels=design.levels, seed=0)
                for i, name in enumerate(problem["names"]):
                    rows.append({"scenario": scenario, "metric": metric, "parameter": name,
                                 "mu_star": res["mu_star"][i],
                                 "mu_star_conf": res["mu_star_conf"][i],
                                 "sigma": res["sigma"][i], "mu": res["mu"][i]})
            else:
                res = sobol.analyze(problem, y, calc_second_order=False, seed=0)
                for i, name in enumerate(problem["names"]):
                    rows.append({"scenario": scenario, "metric": metric, "parameter": name,
                                 "S1": res["S1"][i], "S1_conf": res["S1_conf"][i],
                                 "ST": res["ST"][i], "ST_conf": res["ST_conf"][i]})
    return pd.DataFrame(rows)


def plot_indices(table: pd.DataFrame, kind: str, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for (scenario, metric), g in table.groupby(["scenario", "metric"], sort=False):
        fig, ax = plt.subplots(figsize=(7.5, 5), constrained_layout=True)
        if kind == "morris":
            ax.errorbar(g["mu_star"], g["sigma"], xerr=g["mu_star_conf"], fmt="o", alpha=0.8)
            for _, r in g.iterrows():
                ax.annotate(short(r["parameter"]), (r["mu_star"], r["sigma"]), fontsize=8,
                            xytext=(4, 3), textcoords="offset points")
            lim = max(g["mu_star"].max(), g["sigma"].max()) * 1.1 or 1.0
            ax.plot([0, lim], [0, lim], color="grey", linewidth=0.8, linestyle="--")
            ax.set_xlabel("μ* (mean absolute elementary effect)")
            ax.set_ylabel("σ (non-linearity and interactions)")
        else:
            g = g.sort_values("ST")
            pos = np.arange(len(g))
            ax.barh(pos - 0.2, g["S1"], height=0.4, xerr=g["S1_conf"], label="first order S1")
            ax.barh(pos + 0.2, g["ST"], height=0.4, xerr=g["ST_conf"], label="total ST")
            ax.set_yticks(pos, [short(p) for p in g["parameter"]])
            ax.set_xlabel("Sobol index")
            ax.legend()
        ax.set_title(f"{scenario}: sensitivity of {metric}")
        path = out_dir / f"sensitivity-{scenario}-{metric}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def require_sensitivity_design(exp: Experiment) -> None:
    """Sensitivity indices come from a Morris or Sobol sample; refuse anything else before a
    sweep runs for nothing."""
    kind = exp.spec.design.kind
    if kind not in ("morris", "sobol"):
        raise ScenarioError(f"{exp.where(('design', 'kind'))}: must be morris or sobol for "
                            f"cogov sensitivity, not '{kind}' (cogov sweep runs it)")
    _require_salib()


def run_sensitivity(exp: Experiment, out: Path, **sweep_args) -> tuple[pd.DataFrame, list[Path]]:
    from .sweep import run_sweep

    require_sensitivity_design(exp)
    run_sweep(exp, out, **sweep_args)
    runs = pd.read_parquet(out / "runs.parquet")
    table = analyse(exp, runs)
    table.to_csv(out / "sensitivity.csv", index=False)
    paths = plot_indices(table, exp.spec.design.kind, out / "plots")
    return table, paths
