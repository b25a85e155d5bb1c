"""Old names kept working for a while: a renamed function stays callable under its old name, with a
:class:`DeprecationWarning` naming the new one (the CHANGELOG lists each rename and the release that removes it)."""

from __future__ import annotations

import functools
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
