"""Route tables, one per resource module; ``create_app`` adds them all."""

from . import control, files, groups, memberships, people

ROUTE_TABLES = [groups.routes, memberships.routes, people.routes, files.routes, control.routes]
