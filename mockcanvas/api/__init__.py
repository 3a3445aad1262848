"""Route tables: one per area module (``mockcanvas.areas``), then the test-control plane;
``create_app`` adds them all."""

from ..areas import modules
from . import control

ROUTE_TABLES = [m.routes for m in modules("api")] + [control.routes]
