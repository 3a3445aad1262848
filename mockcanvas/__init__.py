"""mockcanvas: a faithful, stateful, in-memory mock of the Canvas LMS REST API.

Public surface: ``create_app``, ``Store``, ``load_world``, ``Settings``, ``FrozenClock``,
``CanvasServer`` (the app on a background thread).
"""

from .app import create_app
from .clock import FrozenClock, SystemClock
from .settings import Settings
from .store import Store

__version__ = "0.1.0"


def __getattr__(name: str):
    # loaded on first use so that importing the package stays cheap
    if name in ("load_world", "WorldError", "DEFAULT_WORLD"):
        from . import seed

        return getattr(seed, name)
    if name == "CanvasServer":
        from .server import CanvasServer

        return CanvasServer
    raise AttributeError(name)


__all__ = ["create_app", "Store", "Settings", "FrozenClock", "SystemClock", "load_world",
           "WorldError", "DEFAULT_WORLD", "CanvasServer"]
