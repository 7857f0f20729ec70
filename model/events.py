"""Shocks on the timeline: events that act on the community's state on one day.

An intervention (``interventions:``) changes the rules from its day on; it cannot touch the
state the rules act on (``population.initial.*`` is refused after day 0). An event
(``events:``) does the opposite: it changes the state once, on its day, and the rules in force
then carry the consequences on. Kept as a list of its own rather than a field of an
intervention because the two are validated and recorded differently — an intervention leaves a
valid scenario behind, an event names an institution, a category or an organization of the
running community — and because a flat ``{day, kind, …fields, note}`` reads the same in a
file and on the command line (``--event "day=200 kind=trust_drop institution=party
share=0.3"``).

Kinds (each a pydantic class below, chosen by ``kind``):

* ``trust_drop`` — a scandal: every resident loses ``share`` of their trust in each named
  institution (names of :class:`cogov.model.population.Institution`, lower case); trust then
  recovers toward its initial mean at ``behaviour.trust_recovery`` as any lost trust does.
* ``issue_surge`` — a flood, a demolition: issues of ``category`` arise at ``multiplier`` times
  their rate for ``days`` days, and/or ``add`` issues of it arise at once (origins drawn like
  that category's: any resident, the vulnerable for care).
* ``budget_cut`` — ``organization``'s daily budget is scaled by ``1 − share`` from that day on
  (written into the rules in force, so a later intervention that changes another key keeps
  the cut); the money already in its fund is kept.
* ``leader_leaves`` — the branch secretary leaves (:mod:`cogov.model.mechanisms.leadership`):
  the branch's relations with the other actors fall to the successor's level and are rebuilt
  over ``rebuild_days``. Refused unless ``mechanisms.leadership`` is switched on by that day:
  with it off the branch's coordination does not rest on one person.

This module holds only the schema and the command-line parser; the model applies an event with
``CommunityModel.apply_event`` (``phases.interventions.apply_event``).
"""

from __future__ import annotations

import shlex
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .schema import CategoryName, Day, Days, FieldError, Note, Pos, Share, Strict

#: Institution names as in ``population.INSTITUTION_KEYS`` (tests check they agree).
InstitutionName = Literal["party", "rc", "gov", "so", "enterprise"]
#: The actors a scenario always has, by their key under ``actors:``; social organizations and
#: enterprises are named by their ``name``.
FIXED_ORGANIZATIONS = ("party_branch", "residents_committee", "street_office")
MAX_SURGE = 100.0  # a surge multiplies a rate at most a hundredfold [design choice]
MAX_ADDED = 100_000  # issues added at once [design choice]


class EventBase(Strict):
    day: Day = Field(description="the day the event happens (the first day is 0)")
    note: Note = ""

    def describe(self) -> str:
        """The event's fields as ``key=value`` (its line in the log and the manifest)."""
        fields = self.model_dump(mode="json", exclude={"day", "note", "kind"},
                                 exclude_defaults=True)
        return " ".join([f"kind={self.kind}"] + [f"{k}={_text(v)}" for k, v in fields.items()])


def _text(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


class TrustDrop(EventBase):
    """A scandal: residents lose a share of their trust in named institutions."""

    kind: Literal["trust_drop"]
    institution: list[InstitutionName] = Field(
        min_length=1, max_length=5, description="institutions whose trust falls: party, rc, "
        "gov, so, enterprise (one name or a list)")
    share: Annotated[Share, Field(gt=0.0)] = Field(
        description="share of each resident's trust in them lost, (0, 1]")

    @model_validator(mode="before")
    @classmethod
    def _one_or_many(cls, data):
        if isinstance(data, dict) and isinstance(data.get("institution"), str):
            data = dict(data, institution=[s.strip() for s in data["institution"].split(",")])
        return data


class IssueSurge(EventBase):
    """A flood, a demolition: more issues of one category, for a while and/or at once."""

    kind: Literal["issue_surge"]
    category: CategoryName = Field(description="the category that surges")
    multiplier: Annotated[Pos, Field(le=MAX_SURGE)] = Field(
        1.0, description="its rate is multiplied by this for ``days`` days")
    days: Days | None = Field(None, description="how long the raised rate lasts, in days")
    add: Annotated[int, Field(ge=0, le=MAX_ADDED, strict=True)] = Field(
        0, description="issues of the category that arise at once on the day")

    @model_validator(mode="after")
    def _does_something(self) -> IssueSurge:
        if self.multiplier != 1.0 and self.days is None:
            raise FieldError(("days",), "a surge with a multiplier needs days: how long the "
                             "raised rate lasts")
        if self.days is not None and self.multiplier == 1.0:
            raise FieldError(("multiplier",), "a surge over days needs a multiplier other "
                             "than 1")
        if self.multiplier == 1.0 and self.add == 0:
            raise FieldError(("add",), "the surge changes nothing: give multiplier and days, "
                             "or add (issues at once), or both")
        return self


class BudgetCut(EventBase):
    """An organization's daily budget is cut from that day on."""

    kind: Literal["budget_cut"]
    organization: str = Field(max_length=200, description="party_branch, residents_committee, "
                              "street_office, or a social organization's or enterprise's name")
    share: Annotated[Share, Field(gt=0.0)] = Field(
        description="share of its daily budget cut, (0, 1]")


class LeaderLeaves(EventBase):
    """The branch secretary leaves; a successor starts to rebuild the branch's relations."""

    kind: Literal["leader_leaves"]


Event = Annotated[TrustDrop | IssueSurge | BudgetCut | LeaderLeaves, Field(discriminator="kind")]
KINDS = ("trust_drop", "issue_surge", "budget_cut", "leader_leaves")


def parse_event_text(text: str) -> dict:
    """One ``--event`` value, ``"day=200 kind=trust_drop institution=party share=0.3"``, as the
    mapping the same event would be in a file (values read as YAML scalars)."""
    from .loading import ScenarioError, parse_scalar

    where = f"--event {text!r}"
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    if not words:
        raise ScenarioError(f"{where}: empty; write key=value pairs, e.g. \"day=200 "
                            "kind=trust_drop institution=party share=0.3\"")
    out: dict = {}
    for word in words:
        key, eq, value = word.partition("=")
        if not eq or not key:
            raise ScenarioError(f"{where}: {word!r}: expected key=value")
        if key in out:
            raise ScenarioError(f"{where}: {key}: given twice")
        try:
            out[key] = parse_scalar(value)
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: {key}: {str(exc).split(': ', 1)[-1]}") from None
    return out


def parse_event(data: dict, label: str = "event"):
    """One event from a mapping, validated like an entry of ``events:``; a mistake raises
    ``ScenarioError`` naming ``label`` and the field."""
    from pydantic import TypeAdapter, ValidationError

    from .loading import ScenarioError, describe_error

    try:
        return TypeAdapter(Event).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if p not in KINDS]
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc.append("kind")
        loc += list(getattr((err.get("ctx") or {}).get("error"), "loc", ()))
        where = ".".join(map(str, loc)) or "(event)"
        raise ScenarioError(f"{label}: {where}: {describe_error(err, EventBase)}") from None
