"""Who is using the dashboard: ``current_user()`` and the ``User`` it returns.

TEMPORARY minimal version: every visitor is a 'pimpinan' (leadership) user, so the internal pages
can be built and tested. The roles work (issue 5) replaces this module with a real login
(streamlit-authenticator, accounts in the local config dir) keeping this tiny interface:

* ``current_user()`` is called by app.py at the top of every run and again by
  ``dashboard.registry.require`` at the top of each page; it must be cheap and return the same
  user within one run (no widgets rendered twice).
* ``User.role`` is one of ``dashboard.registry.ROLES``; ``rm_id`` is the RM's area for role 'rm'.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str               # publik, rm, pimpinan, admin
    rm_id: str | None = None


def current_user() -> User:
    """The signed-in user (stub: always leadership)."""
    return User(username="pimpinan", name="Pimpinan", role="pimpinan")
