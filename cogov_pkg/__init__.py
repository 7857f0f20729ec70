"""cogov: agent-based simulation of multi-actor community co-governance.

The subpackages live in top-level folders of the repository (``model/``, ``scenarios/``,
``experiments/``, ``viz/``) and are mapped into this namespace by ``pyproject.toml``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cogov")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
