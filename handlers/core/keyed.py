"""Keyed hashes: link a value to nothing without the server's secret key.

The key lives outside the database (a file or the environment), so someone
who can read the database cannot recompute a hash from a guessed person id.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


class Keys:
    """HMAC-SHA256 under one secret, separated by purpose."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the secret key must be at least 16 bytes")
        self._secret = secret

    def digest(self, purpose: str, *parts: str) -> str:
        """A hex digest of `parts` for `purpose`; different purposes never collide."""
        message = "\x1f".join((purpose, *parts)).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    @staticmethod
    def random() -> Keys:
        """A throwaway key (tests and demos)."""
        return Keys(secrets.token_bytes(32))


def departure_key(keys: Keys, platform: str, user_ref: str) -> str:
    """How a departure names someone (storage/models/people.py Departure): a keyed hash."""
    return keys.digest("departed", platform, user_ref)
