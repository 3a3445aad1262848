"""Per-server settings, passed explicitly (never read from the environment at import time)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    per_page_default: int = 10  # Api::PER_PAGE
    per_page_max: int = 100  # Api::MAX_PER_PAGE
    # Canvas answers a permission denial with 401 unless the api_auth_error_updates flag is on.
    auth_error_status: int = 401
    # shard id of global ids (live events): global = shard * 10**13 + local; 0 gives local ids
    shard_id: int = 0
    # record live events for Canvas's bulk SQL paths too (assign_unassigned_members, CSV import,
    # group_limit propagation), which skip ActiveRecord callbacks in Canvas and so emit nothing
    live_events_bulk: bool = False
    # POST each live event as JSON to this URL (a consumer); None delivers nothing
    live_events_url: str | None = None
    # group storage quota default (Setting group_default_quota)
    group_default_quota_mb: int = 50
    # the tools a group's tabs show (include[]=tabs, lib/api/v1/tab.rb): Conferences when a web
    # conference service is configured (feature_enabled?(:web_conferences)), Collaborations when
    # collaborations are (Collaboration.any_collaborations_configured?); off, as on a plain Canvas
    web_conferences: bool = False
    collaborations: bool = False
    # the shortest search_term (SearchTermHelper::MIN_SEARCH_TERM_LENGTH: 2 in modern Canvas, 3 in
    # copies before 2021)
    search_term_min_length: int = 2
    # the largest file the mock keeps in memory for one upload
    max_upload_bytes: int = 50 * 1024 * 1024
    # when asynchronous jobs (category assignment, CSV import) run: background (as Canvas),
    # immediate, manual, polls:N or fail:MESSAGE (see store/progress.py)
    progress_policy: str = "background"
    # Fail fast in tests: remember unknown /api/v1 routes and 500s so the pytest plugin can fail
    # the test that caused them.
    record_problems: bool = True
    # -- bounds: what a long-running server keeps, and how long it waits (README LIMITATIONS) ------
    # recorded problems kept (unknown /api/v1 routes, 500s); later ones are counted, not kept
    max_problems: int = 1000
    # live-event delivery (Settings.live_events_url): POST attempts per event, seconds per attempt,
    # events waiting to be sent (the oldest is dropped and counted when full), failed events kept
    # for POST /__mockcanvas__/live_events/delivery/retry (likewise), and how long shutdown drains
    live_events_attempts: int = 3
    live_events_timeout: float = 5.0
    live_events_queue_max: int = 10_000
    live_events_failed_max: int = 10_000
    live_events_drain_timeout: float = 2.0
    # people a world may make with ``generate:`` (all entries of one load together)
    max_generate_count: int = 1_000_000
    # CSV import rows handled per step of the job; requests are served between steps
    import_chunk_rows: int = 1000
    # slow clients: a connection must complete each request's headers within ``header_timeout``
    # seconds of opening or of its previous answer (aiohttp's keepalive_timeout, which also closes
    # idle keep-alive connections), and its body within ``body_timeout`` seconds of the headers
    header_timeout: float = 30.0
    body_timeout: float = 120.0
    # when set, /__mockcanvas__/* requires it (X-Mockcanvas-Control-Token or Authorization: Bearer)
    control_token: str | None = None
