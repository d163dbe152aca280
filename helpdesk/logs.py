"""A warning logged at most once a minute: a service that is down fails every request, and one line a
minute says so as well as thousands would."""

import logging
import time


class ThrottledWarning:
    """logger.warning(...) unless this warning was logged less than `seconds` ago (per instance)."""

    def __init__(self, logger: logging.Logger, seconds: float = 60):
        self.logger = logger
        self.seconds = seconds
        self.last_logged_at: float | None = None

    def __call__(self, message: str, *args) -> None:
        now = time.monotonic()
        if self.last_logged_at is not None and now - self.last_logged_at < self.seconds:
            return
        self.last_logged_at = now
        self.logger.warning(message, *args)
