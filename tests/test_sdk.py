from __future__ import annotations

import auditor.models
import auditor.registry
from auditor import sdk


def test_sdk_reexports_the_same_objects_as_the_old_paths() -> None:
    for name in sdk.__all__:
        old = getattr(auditor.registry, name, None) or getattr(auditor.models, name)
        assert getattr(sdk, name) is old, name
