"""Process-wide hardening of the dashboard, applied once by app.py before anything else.

* Files the dashboard creates are private (umask 077, etl.private_files): logs, sessions,
  temporary upload copies.
* Any browser can send Streamlit's "clear cache" message over the websocket (the developer menu
  sends it); Streamlit then clears every cache of every user, so one anonymous visitor could make
  every page slow for everyone, again and again. Here it clears nothing: the caches are keyed by
  the database version (dashboard.data) and refresh by themselves after a load.
"""

from __future__ import annotations

_APPLIED = False


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    from streamlit.runtime.app_session import AppSession

    from etl import private_files

    private_files.secure_process()

    def _ignore_clear_cache(self) -> None:  # noqa: ARG001 - the session asking is not trusted
        return None

    AppSession._handle_clear_cache_request = _ignore_clear_cache
    _APPLIED = True
