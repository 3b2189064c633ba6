"""Narrative and entity-role taxonomies, loaded from YAML data files.

Why data, not code: researchers track their own narratives. A taxonomy file is one *domain*
(``URW``, ``CC``, or a user's own) with two levels — narratives and their sub-narratives::

    domain: URW
    name: free text
    narratives:
      - label: "URW: Discrediting Ukraine"          # full label string, used verbatim in outputs
        description: one line in your own words      # optional; used in explanations
        subnarratives:
          - label: "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
            description: ...
    unscored: [...]   # optional: labels the official SemEval scorer's class list leaves out

Every narrative implicitly has the catch-all sub-narrative ``"<narrative>: Other"`` (a document
that carries the narrative but none of its listed sub-narratives), and a document with no
narrative at all is ``"Other"`` — the SemEval-2025 Task 10 conventions. The role file lists the
three main roles, each with its fine roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

OTHER = "Other"
DEFAULT_NARRATIVE_FILES = ("narratives_urw.yaml", "narratives_cc.yaml")
DEFAULT_ROLE_FILE = "roles.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    label: str
    description: str = ""


class Narrative(Label):
    subnarratives: tuple[Label, ...] = ()

    @model_validator(mode="after")
    def _subs_extend_parent(self) -> Narrative:
        for sub in self.subnarratives:
            if not sub.label.startswith(self.label + ": "):
                raise ValueError(f"sub-narrative {sub.label!r} must start with {self.label + ': '!r}")
        return self

    @property
    def other(self) -> str:
        """The catch-all sub-narrative label of this narrative."""
        return f"{self.label}: {OTHER}"


class DomainFile(_Strict):
    domain: str
    name: str = ""
    note: str = ""
    narratives: tuple[Narrative, ...]
    unscored: tuple[str, ...] = ()


class NarrativeTaxonomy:
    """One or more domains of narratives, with lookups the classifier and the scorer need."""

    def __init__(self, domains: Iterable[DomainFile]):
        self.domains = {d.domain: d for d in domains}
        labels = [n.label for d in self.domains.values() for n in d.narratives]
        if len(set(labels)) != len(labels):
            raise ValueError("a narrative label appears twice across the taxonomy files")

    @classmethod
    def load(cls, paths: str | Path | Iterable[str | Path] | None = None) -> NarrativeTaxonomy:
        """Load taxonomy files (default: the shipped SemEval-2025 URW and CC files)."""
        if paths is None:
            return default_narratives()
        if isinstance(paths, str | Path):
            paths = [paths]
        return cls(_read(Path(p), DomainFile) for p in paths)

    @classmethod
    def from_dicts(cls, data: Iterable[dict]) -> NarrativeTaxonomy:
        """Rebuild from ``to_dicts()`` output (how a trained model stores the taxonomy it used)."""
        return cls(DomainFile.model_validate(d) for d in data)

    def to_dicts(self) -> list[dict]:
        return [d.model_dump() for d in self.domains.values()]

    @cached_property
    def narratives(self) -> dict[str, Narrative]:
        return {n.label: n for d in self.domains.values() for n in d.narratives}

    @cached_property
    def domain_of(self) -> dict[str, str]:
        """Every narrative and fine label -> its domain."""
        out = {}
        for d in self.domains.values():
            for n in d.narratives:
                for label in (n.label, n.other, *(s.label for s in n.subnarratives)):
                    out[label] = d.domain
        return out

    @cached_property
    def parent(self) -> dict[str, str]:
        """Fine label (incl. ``<narrative>: Other``) -> narrative label."""
        return {
            label: n.label
            for n in self.narratives.values()
            for label in (n.other, *(s.label for s in n.subnarratives))
        }

    @cached_property
    def descriptions(self) -> dict[str, str]:
        out = {}
        for n in self.narratives.values():
            out[n.label] = n.description
            out.update({s.label: s.description for s in n.subnarratives})
        return out

    @property
    def coarse_labels(self) -> list[str]:
        return [*self.narratives, OTHER]

    @property
    def fine_labels(self) -> list[str]:
        return [*self.parent, OTHER]

    def scored(self, level: str) -> set[str]:
        """The class list the official scorer uses at ``level`` ("coarse" or "fine")."""
        unscored = {u for d in self.domains.values() for u in d.unscored}
        labels = self.coarse_labels if level == "coarse" else self.fine_labels
        return set(labels) - unscored

    def check(self, labels: Iterable[str]) -> None:
        """Raise ValueError naming the labels this taxonomy does not know."""
        known = set(self.coarse_labels) | set(self.fine_labels)
        unknown = sorted(set(labels) - known)
        if unknown:
            raise ValueError(f"labels not in the taxonomy: {', '.join(unknown[:5])}")


class MainRole(Label):
    fine_roles: tuple[Label, ...]


class RoleFile(_Strict):
    name: str = ""
    note: str = ""
    main_roles: tuple[MainRole, ...]


class RoleTaxonomy:
    """Main roles and the fine roles each allows (a fine role belongs to exactly one main role)."""

    def __init__(self, data: RoleFile):
        self.data = data
        self.fine_by_main = {m.label: [f.label for f in m.fine_roles] for m in data.main_roles}
        self.main_of = {f: m for m, fines in self.fine_by_main.items() for f in fines}
        if len(self.main_of) != sum(len(v) for v in self.fine_by_main.values()):
            raise ValueError("a fine role is listed under two main roles")

    @classmethod
    def load(cls, path: str | Path | None = None) -> RoleTaxonomy:
        return default_roles() if path is None else cls(_read(Path(path), RoleFile))

    @property
    def main_roles(self) -> list[str]:
        return list(self.fine_by_main)

    @property
    def fine_roles(self) -> list[str]:
        return list(self.main_of)


def _read(path: Path, schema: type[BaseModel]):
    try:
        return schema.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except OSError as err:
        raise ValueError(f"cannot read taxonomy file {path}: {err.strerror}") from err
    except (yaml.YAMLError, ValidationError) as err:
        raise ValueError(f"invalid taxonomy file {path}: {err}") from err


def _shipped(name: str) -> Path:
    return Path(str(resources.files("narrascope.data").joinpath("taxonomies", name)))


@lru_cache(maxsize=1)
def default_narratives() -> NarrativeTaxonomy:
    return NarrativeTaxonomy(_read(_shipped(n), DomainFile) for n in DEFAULT_NARRATIVE_FILES)


@lru_cache(maxsize=1)
def default_roles() -> RoleTaxonomy:
    return RoleTaxonomy(_read(_shipped(DEFAULT_ROLE_FILE), RoleFile))
