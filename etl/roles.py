"""The roles: the one definition of who a user of Cakupan can be (docs/rules.md §3, roles).

Every other module (the dashboard's page registry, the accounts file, the command line's
``--role`` choices, the tests) takes its role names and labels from here.

* ``publik`` is the visitor who has not signed in: the public page only.
* ``rm``, ``pimpinan`` and ``admin`` are the roles an account can hold; an ``rm`` account also
  carries the RM area it may see.
"""

from __future__ import annotations

PUBLIC = "publik"
RM = "rm"
LEADERSHIP = "pimpinan"
ADMIN = "admin"

# Every role, the public visitor first.
ROLES: tuple[str, ...] = (PUBLIC, RM, LEADERSHIP, ADMIN)
# The roles an account can hold (every role but the public visitor).
ACCOUNT_ROLES: tuple[str, ...] = (RM, LEADERSHIP, ADMIN)

# Indonesian labels, shown in the dashboard and printed by the command line.
LABELS: dict[str, str] = {
    PUBLIC: "Publik",
    RM: "Relationship manager BPJS",
    LEADERSHIP: "Pimpinan",
    ADMIN: "Admin data",
}


def label(role: str) -> str:
    """The Indonesian label of a role; an unknown role is shown as it is."""
    return LABELS.get(role, role)
