"""The hand-made fixture of the metric tests (tests/fixtures/metrics): its builder, loaded from
its file, since tests/fixtures is data, not a package."""

from __future__ import annotations

import importlib.util

from tests.support.helpers import FIXTURES

BUILDER = FIXTURES / "metrics" / "build.py"


def load_builder():
    spec = importlib.util.spec_from_file_location("metrics_fixture_build", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
