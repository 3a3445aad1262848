"""Pure serializers: store rows -> Canvas JSON dicts. No aiohttp here.

Each view takes a :class:`ViewContext` (the store, the viewer, the request's base URL) so that
permission-dependent fields (SIS ids, login ids) and absolute URLs come out as Canvas renders them.
"""

from .common import ViewContext, iso, iso_local

__all__ = ["ViewContext", "iso", "iso_local"]
