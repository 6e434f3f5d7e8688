"""The phone site's views, one module per part: logging in and 我的 (account), the resident's
needs (needs), the in-app messages (inbox), members helping (helping) and the grid worker's quick
report (grid)."""

from .account import home, login_code, login_number, logout_view, me

__all__ = ["home", "login_code", "login_number", "logout_view", "me"]
