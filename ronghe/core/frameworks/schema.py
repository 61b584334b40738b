"""The framework file format, as pydantic models.

A framework is a versioned questionnaire plus everything needed to score it: an indicator tree
(``nodes``, a flat list with ``parent``), the questions (``items``, each attached to a leaf
node), stage rules, key rates and diagnosis advice. The YAML file *is* the source of truth; these
models only describe and check it. Structural checks that span several objects (weights summing
to 1, unknown parents, cycles, conditions on missing items, …) live in :mod:`.load`, so that all
faults of a file are reported together with their paths.

Units: every score in a framework is on the 0–100 scale (an option worth 80 scores 80 points);
weights are fractions of their siblings and sum to 1; answers to ``percent`` items are
percentages 0–100, answers to ``number`` items are in the item's declared ``unit``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

DEFAULT_LOCALE = "zh-Hans"
LOCALES = ("zh-Hans", "en")


def _text(value: Any) -> Any:
    """Accept a bare string as the zh-Hans text, so short files stay short."""
    if isinstance(value, str):
        return {DEFAULT_LOCALE: value}
    return value


class _Text(BaseModel):
    """A label in several languages; zh-Hans is required, English is optional."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    zh: str = Field(alias="zh-Hans", min_length=1)
    en: str | None = None

    def get(self, locale: str = DEFAULT_LOCALE) -> str:
        """The text in ``locale``, falling back to zh-Hans when no translation exists."""
        if locale.startswith("en") and self.en:
            return self.en
        return self.zh

    def __str__(self) -> str:
        return self.zh


Text = Annotated[_Text, BeforeValidator(_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Score = Annotated[float, Field(ge=0, le=100)]
"""A score on the 0–100 scale."""

Year = Annotated[int, Field(ge=1949, le=2200)]
"""A calendar year."""

Weight = Annotated[float, Field(ge=0, le=1)]
"""A weight: the fraction of the parent's score carried by this child (siblings sum to 1)."""

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
"""Short ids such as ``B1`` or ``B1_03``; the full URN is derived, never repeated."""


class Option(_Model):
    """One answer option of a choice item, with the points it is worth (0–100)."""

    id: Identifier
    label: Text
    score: Score
    exclusive: bool = False
    """For a multiple-choice item: an answer that excludes every other option (以上都没有 / 无 / 不适用);
    choosing it together with another option is a fault."""


class Curve(_Model):
    """How a numeric answer turns into a 0–100 score.

    ``thresholds``: each point ``[x, score]`` means "from x upwards, this score"; values below
    the first threshold score ``below``. ``linear``: piecewise-linear interpolation between
    the points, clamped to the first and last score outside them.
    """

    kind: Literal["thresholds", "linear"]
    points: list[tuple[float, Score]] = Field(min_length=1)
    below: Score = 0.0


ConditionOp = Literal["eq", "ne", "in", "not_in", "has", "gt", "ge", "lt", "le", "answered"]


class Condition(_Model):
    """An item is asked, and scored, only when this holds on another item's answer.

    ``eq``/``ne``/``in``/``not_in`` compare a single-choice option id or a yes/no answer
    (``true``/``false``); ``has`` tests that a multiple-choice answer includes an option;
    ``gt``/``ge``/``lt``/``le`` compare a number or percentage; ``answered`` needs no value.
    When the controlling item is itself not asked, the condition does not hold.
    """

    item: Identifier
    op: ConditionOp
    value: Any = None


ItemType = Literal["single", "multi", "number", "percent", "yesno"]


class Item(_Model):
    """One question of the questionnaire, attached to a leaf indicator node."""

    id: Identifier
    parent: Identifier
    type: ItemType
    weight: Weight
    label: Text
    help: Text | None = None
    definition: Text | None = None
    unit: str | None = None
    options: list[Option] | None = None
    multi_rule: Literal["sum", "max"] = "sum"
    """How a multiple-choice answer scores: the sum of the chosen options (capped at 100) or
    the best one."""
    curve: Curve | None = None
    min: float | None = None
    """Smallest valid answer of a numeric item (percent items default to 0)."""
    max: float | None = None
    """Largest valid answer of a numeric item (percent items default to 100)."""
    yes_score: Score = 100.0
    no_score: Score = 0.0
    required: bool = True
    condition: Condition | None = None

    @model_validator(mode="before")
    @classmethod
    def _percent_defaults(cls, data: Any) -> Any:
        """Percentages are 0–100 and carry the unit % unless the file says otherwise."""
        if isinstance(data, dict) and data.get("type") == "percent":
            data = {"min": 0.0, "max": 100.0, "unit": "%", **data}
        return data


class Node(_Model):
    """An indicator in the tree (一级/二级/三级 …). Roots have no parent.

    A node has either child nodes or items, never both. ``advice`` is the improvement advice
    the diagnosis shows when this indicator is weak.
    """

    id: Identifier
    parent: Identifier | None = None
    name: Text
    weight: Weight = 1.0
    description: Text | None = None
    advice: Text | None = None


class Requirement(_Model):
    """A stage condition: node ``node`` must score at least ``min`` (0–100)."""

    node: Identifier
    min: Score


class Stage(_Model):
    """A stage (or maturity level). Stages are reached bottom-up: stage k is reached when its
    requirements and those of every lower stage hold."""

    code: int = Field(ge=1, le=9)
    label: Text
    description: Text | None = None
    requires: list[Requirement] = Field(default_factory=list)


class Rate(_Model):
    """A key rate reported as a value, such as 数字化研发设计工具普及率 (in percent)."""

    id: Identifier
    label: Text
    item: Identifier


class Diagnosis(_Model):
    """How many weak indicators the diagnosis lists, and at which depth of the tree."""

    weakest: int = Field(default=5, ge=1, le=50)
    level: Literal["leaf", "top"] = "leaf"


class Framework(_Model):
    """A whole framework file: header, tree, items, stages, rates."""

    urn: Annotated[str, Field(pattern=r"^urn:ronghe:framework:[a-z0-9][a-z0-9-]*$")]
    version: int = Field(ge=1)
    """Increases with every published change; an older version than one in use is refused."""
    locale: Literal["zh-Hans"] = DEFAULT_LOCALE
    translations: list[Literal["en"]] = Field(default_factory=list)
    provider: str
    name: Text
    description: Text | None = None
    standard: str | None = None
    """The standard this framework follows, e.g. ``GB/T 23020-2013``."""
    edition: str | None = None
    placeholder: bool = False
    """True when weights or thresholds are configurable defaults, not the standard's values."""
    years: tuple[Year, Year] = (2000, 2099)
    """The first and last reference year an assessment against this framework may have (inclusive);
    a year after next year is refused whatever this says."""
    notes: Text | None = None
    total: Identifier
    """The node whose score is the total (发展水平) score."""
    undetermined_label: Text = Field(default_factory=lambda: _Text(**{"zh-Hans": "待确定", "en": "Undetermined"}))
    """Stage label when required answers are missing (stage code 0)."""
    below_label: Text = Field(default_factory=lambda: _Text(**{"zh-Hans": "未达标", "en": "Not reached"}))
    """Stage label when the answers are complete but stage 1 is not reached (stage code 0)."""
    stages: list[Stage] = Field(min_length=1)
    rates: list[Rate] = Field(default_factory=list)
    diagnosis: Diagnosis = Field(default_factory=Diagnosis)
    nodes: list[Node] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _years_in_order(self) -> Framework:
        if self.years[0] > self.years[1]:
            # the type is the fault's code in ronghe.core.messages, which renders it in the user's language
            raise PydanticCustomError("framework.years_order", "years: the first year {first} is after the last {last}",
                                      {"first": self.years[0], "last": self.years[1]})
        return self

    @property
    def name_slug(self) -> str:
        """The short name used on the command line: the last part of the URN."""
        return self.urn.rsplit(":", 1)[-1]
