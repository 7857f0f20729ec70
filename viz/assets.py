"""Where Solara's browser assets live, so the visualizer works offline.

Solara's page asks for its JavaScript and CSS under ``/_solara/cdn/…``; Solara's asset proxy
serves them from ``SOLARA_ASSETS_PROXY_CACHE_DIR/<package>@<version>/<path>`` and only goes to
the CDN for what is missing. ``scripts/fetch_solara_assets.sh`` fills that folder with
``npm pack`` at install time (``make viz`` runs it). No Solara import here.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ASSETS = REPO / ".solara-assets"

# what solara 1.64.1's page loads first (solara/server/templates/solara.html.j2)
REQUIRED = (
    "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js",
    "@widgetti/solara-vuetify-app@10.1.1/dist/main8.css",
    "@widgetti/solara-vuetify-app@10.1.1/dist/fonts.css",
    "requirejs@2.3.6/require.js",
    "font-awesome@4.5.0/css/font-awesome.min.css",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2/dist/vue-grid-layout.umd.js",
)


def assets_dir() -> Path:
    """``SOLARA_ASSETS_PROXY_CACHE_DIR`` when set, else ``.solara-assets/`` in the repository."""
    env = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(env) if env else DEFAULT_ASSETS


def missing_assets(folder: Path | None = None) -> list[str]:
    folder = assets_dir() if folder is None else folder
    return [f for f in REQUIRED if not (folder / f).is_file()]


def configure_environment(folder: Path | None = None) -> Path:
    """Set Solara's environment before it is imported: offline assets, no telemetry."""
    folder = assets_dir() if folder is None else Path(folder)
    os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(folder)
    os.environ["SOLARA_ASSETS_PROXY"] = "True"
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    os.environ.setdefault("SOLARA_CHECK_HOOKS", "off")
    # a closed tab's session (models, figures) is freed after 2 hours instead of Solara's 24
    os.environ.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "2h")
    return folder
