"""cogov.viz — the browser visualizer for trainers (``cogov viz``; needs the ``viz`` extra).

Modules: :mod:`.app` (the Solara page), :mod:`.session` (one browser session's runs, no Solara),
:mod:`.figures` (network and outcome figures, matplotlib), :mod:`.labels` (Chinese and English
texts), :mod:`.assets` (offline browser assets), :mod:`.cli` (``add_viz_command``).

Only :mod:`.app` imports Solara; nothing outside this package imports it, so the core runs
without the extra.

Built as a Solara page using Mesa's model contract (every model parameter a keyword with a
default, see :func:`.session.make_model`) rather than inside Mesa's ``SolaraViz``, because
SolaraViz (Mesa 3.5.1) holds a single model, so no side-by-side comparison on one seed; its
controls and panel titles are English-only; it redraws every component on every update (the
network could not be redrawn less often than the curves); a model passed to it at module level
is shared by every browser session until Reset; a scenario change waits for Reset; and
``mesa.visualization`` imports altair, which the ``viz`` extra does not need otherwise.
"""
