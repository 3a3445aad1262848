"""Route tables, one per resource module; ``create_app`` adds them all."""

from . import categories, control, files, groups, memberships, people, progress

ROUTE_TABLES = [groups.routes, memberships.routes, categories.routes, progress.routes, people.routes,
                files.routes, control.routes]
