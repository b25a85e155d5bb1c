"""Old names kept working for a while: a renamed function stays callable under its old name, and a moved module
importable under its old path, each with a :class:`DeprecationWarning` naming the new one (the CHANGELOG lists
each rename and move, and the release that removes the old names)."""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: The release that removes the old names.
REMOVED_IN = "1.0.0"


def renamed(new, old_name: str):
    """``new`` under its former name ``old_name`` (``"module.name"``), warning on each call."""

    @functools.wraps(new)
    def old(*args, **kwargs):
        warnings.warn(f"{old_name} is renamed {new.__module__}.{new.__name__}; the old name will be removed in "
                      f"{REMOVED_IN}", DeprecationWarning, stacklevel=2)
        return new(*args, **kwargs)

    old.__doc__ = f"Deprecated name of :func:`{new.__module__}.{new.__name__}` (removed in {REMOVED_IN})."
    return old


#: Modules moved into the stage subpackages in 0.3.0 (old dotted name: new one). An old path still imports, as
#: the same module object, with a DeprecationWarning; a name ending in ``.*`` moved with everything under it.
#: ``unvotes.export`` is not aliased: that name is the top-level function, which an alias would overwrite.
MOVED_MODULES = {
    "unvotes.fetch": "unvotes.sources.fetch",
    "unvotes.add_vote": "unvotes.sources.add_vote",
    "unvotes.meeting_record": "unvotes.sources.meeting_record",
    "unvotes.synthetic": "unvotes.sources.synthetic",
    "unvotes.build": "unvotes.tables.build",
    "unvotes.reconcile": "unvotes.tables.reconcile",
    "unvotes.membership": "unvotes.tables.membership",
    "unvotes.vote_rights": "unvotes.tables.vote_rights",
    "unvotes.catalogue": "unvotes.tables.catalogue",
    "unvotes.curated_votes": "unvotes.tables.curated_votes",
    "unvotes.curated_reads": "unvotes.tables.curated_reads",
    "unvotes.external": "unvotes.tables.external",
    "unvotes.schemas": "unvotes.tables.schemas",
    "unvotes.published_totals": "unvotes.tables.published_totals",
    "unvotes.coverage": "unvotes.tables.coverage",
    "unvotes.labels": "unvotes.tables.labels",
    "unvotes.dictionary": "unvotes.tables.dictionary",
    "unvotes.covariates": "unvotes.tables.covariates",
    "unvotes.dated": "unvotes.tables.dated",
    "unvotes.countries": "unvotes.tables.countries",
    "unvotes.memberships": "unvotes.tables.organisations",
    "unvotes.alignment": "unvotes.analyses.alignment",
    "unvotes.dynamic_alignment": "unvotes.analyses.dynamic_alignment",
    "unvotes.absence": "unvotes.analyses.absence",
    "unvotes.splits": "unvotes.analyses.splits",
    "unvotes.shifts": "unvotes.analyses.shifts",
    "unvotes.movers": "unvotes.analyses.movers",
    "unvotes.trends": "unvotes.analyses.trends",
    "unvotes.profile": "unvotes.analyses.profile",
    "unvotes.overview": "unvotes.analyses.overview",
    "unvotes.claims": "unvotes.analyses.claims",
    "unvotes.regions": "unvotes.analyses.regions",
    "unvotes.plotting": "unvotes.analyses.plotting",
    "unvotes.model_data": "unvotes.models.model_data",
    "unvotes.key_findings": "unvotes.site.key_findings",
    "unvotes.citation": "unvotes.site.citation",
    "unvotes.readers": "unvotes.sources.readers",
    "unvotes.readers.*": "unvotes.sources.readers.*",
}


def moved_to(old: str) -> str | None:
    """The current dotted name of a module imported by its pre-0.3.0 path, or None if it did not move."""
    if old in MOVED_MODULES:
        return MOVED_MODULES[old]
    for prefix, target in MOVED_MODULES.items():
        if prefix.endswith(".*") and old.startswith(prefix[:-1]):
            return target[:-2] + old[len(prefix) - 2:]
    return None


class _MovedModuleFinder(importlib.abc.MetaPathFinder):
    # First on sys.meta_path: otherwise `unvotes.readers.undl`, found through the aliased package's __path__, would
    # load a second copy of the module under its old name.
    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("unvotes."):
            return None
        new = moved_to(fullname)
        return None if new is None else importlib.util.spec_from_loader(fullname, _AliasLoader(new))


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, new: str):
        self.new = new

    def create_module(self, spec):
        warnings.warn(f"{spec.name} moved to {self.new} in 0.3.0; the old path will be removed in {REMOVED_IN}",
                      DeprecationWarning, stacklevel=2)
        module = importlib.import_module(self.new)
        self._own_spec = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self._own_spec  # the import system overwrote it with the alias's spec


def install_moved_module_finder() -> None:
    if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _MovedModuleFinder())
