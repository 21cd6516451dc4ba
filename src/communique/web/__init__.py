"""The local, read-only web dashboard over a stored corpus (``communique serve``)."""

from .app import create_app

__all__ = ["create_app"]
