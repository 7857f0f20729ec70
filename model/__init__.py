"""The simulation: ``from cogov.model import CommunityModel``."""

from .config import ScenarioConfig
from .loading import ScenarioError, load_scenario
from .model import CommunityModel

__all__ = ["CommunityModel", "ScenarioConfig", "ScenarioError", "load_scenario"]
