"""What the tests share that is not a fixture: builders of input files, the CLI runner, small
hand-checkable databases, and the privacy probes. Fixtures live in conftest.py (tests/conftest.py
for every kind, tests/<kind>/conftest.py for one kind); test modules import from here, never
from one another (tests/unit/test_test_layout.py checks it)."""
