"""``cogov viz [SCENARIO] [--port N] [--host HOST]``: serve the visualizer.

Registered by the main CLI with one call: ``add_viz_command(subparsers)``. Importing this module
needs neither Solara nor the browser assets; both are checked when the command runs, with a
readable message (exit code 2) when something is missing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cogov.experiments.cli.arguments import pos_int, seed

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
FETCH_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fetch_solara_assets.sh"


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0–65535, got {value}")
    return value


def add_viz_command(subparsers) -> argparse.ArgumentParser:
    """Add the ``viz`` subcommand to the main CLI's subparsers."""
    s = subparsers.add_parser(
        "viz", help="start the browser visualizer (for trainers)",
        description="Serve the visualizer: the community network, outcome curves, KPI cards, "
        "scenario picker, governance levers and a side-by-side comparison with a baseline. "
        "Binds 127.0.0.1 unless --host is given. Needs the viz extra (pip install -e '.[viz]') "
        "and the offline browser assets (scripts/fetch_solara_assets.sh).")
    s.add_argument("scenario", nargs="?", default=None, metavar="SCENARIO",
                   help="scenario shown first: a shipped name or a YAML path "
                   "(default one-core-four-element)")
    s.add_argument("--port", type=_port, default=DEFAULT_PORT,
                   help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    s.add_argument("--host", default=DEFAULT_HOST,
                   help="address to bind (default 127.0.0.1, this machine only; 0.0.0.0 "
                   "serves a classroom network)")
    s.add_argument("--residents", type=pos_int, default=None,
                   help="residents in the community at first (default 2000)")
    s.add_argument("--seed", type=seed, default=None, help="random seed at first (default 7)")
    s.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="language at first (default zh; a button switches)")
    s.add_argument("--assets", metavar="DIR", default=None,
                   help="folder of Solara's browser assets (default $SOLARA_ASSETS_PROXY_CACHE_DIR "
                   "or .solara-assets/ in the repository)")
    s.add_argument("--online", action="store_true",
                   help="let the page load missing browser assets from the internet instead of "
                   "fetching them first")
    s.set_defaults(func=cmd_viz)
    return s


def cmd_viz(args: argparse.Namespace) -> int:
    import importlib.util

    from cogov.model.loading import ScenarioError, load_scenario

    from .assets import configure_environment, missing_assets

    # checked without importing: Solara reads its settings from the environment at import
    for module in ("solara", "uvicorn", "ipyvuetify"):
        if importlib.util.find_spec(module) is None:
            print(f"cogov: error: the visualizer needs the viz extra ({module} is missing): "
                  "pip install -e '.[viz]'", file=sys.stderr)
            return 2
    scenario = args.scenario or "one-core-four-element"
    try:
        resolved = load_scenario(scenario)  # a bad name or file ends here, with its message
    except ScenarioError as exc:
        print(f"cogov: error: {exc}", file=sys.stderr)
        return 2
    if scenario.endswith((".yaml", ".yml")):
        scenario = str(Path(scenario).resolve())
    else:
        scenario = resolved.name

    folder = configure_environment(Path(args.assets) if args.assets else None)
    if missing_assets(folder) and not args.online:
        # Without them the page stays blank offline: fetch them now, once, or say how.
        print(f"cogov viz: fetching Solara's browser assets into {folder} (once) …",
              file=sys.stderr)
        error = fetch_assets(folder)
        if error or missing_assets(folder):
            print(f"cogov: error: the visualizer's browser assets are missing in {folder} and "
                  f"could not be fetched ({error or missing_assets(folder)[0]}); run "
                  f"`bash {FETCH_SCRIPT} {folder}` (make viz does) where the npm registry is "
                  "reachable, or pass --online to load them from the internet instead",
                  file=sys.stderr)
            return 2
    os.environ["COGOV_VIZ_SCENARIO"] = scenario
    os.environ["COGOV_VIZ_LANG"] = args.lang
    if args.residents:
        os.environ["COGOV_VIZ_RESIDENTS"] = str(args.residents)
    if args.seed is not None:
        os.environ["COGOV_VIZ_SEED"] = str(args.seed)
    return serve(args.host, args.port)


def fetch_assets(folder: Path) -> str | None:
    """Run the repository's fetch script; the reason it failed, or None."""
    import shutil
    import subprocess

    if not FETCH_SCRIPT.is_file():
        return f"{FETCH_SCRIPT} is not here (an installed copy without the repository)"
    if shutil.which("npm") is None:
        return "npm is not installed; Debian: apt-get install npm"
    try:
        done = subprocess.run(["bash", str(FETCH_SCRIPT), str(folder)], capture_output=True,
                              text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return "npm took over 10 minutes"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return lines[-1] if lines else f"exit code {done.returncode}"
    return None


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Run the Solara server for :mod:`cogov.viz.app` until interrupted."""
    import socket
    import warnings

    import uvicorn

    # plain http on a classroom network: Solara falls back to samesite=lax cookies, as wanted
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

    os.environ["SOLARA_APP"] = "cogov.viz.app"
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.server import settings

    settings.main.mode = "production"
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        print(f"cogov: error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    shown = f"[{host}]" if ":" in host else host
    print(f"cogov viz: serving on http://{shown}:{port}/  (Ctrl+C stops)", flush=True)
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning",
                            ws_ping_interval=20, ws_ping_timeout=60)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m cogov.viz.cli [SCENARIO] …``."""
    parser = argparse.ArgumentParser(prog="cogov")
    add_viz_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["viz", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
