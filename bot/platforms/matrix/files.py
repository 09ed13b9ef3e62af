"""Files and pictures on Matrix: uploaded to the homeserver's media repository, then sent
as an `m.file` (or, for a chart, an `m.image`) event with the mxc:// address (encrypted
first in an encrypted room, as the spec asks: the event then carries the key in `file`
instead of a plain `url`).

A picture's `body` is its alt text: clients show it to screen readers and to anyone whose
client doesn't show images."""

from __future__ import annotations

import io
from typing import Any

from nio import UploadResponse

from bot.platforms.matrix.connection import Connection
from handlers.core.messages import File, Image

#: Where a file event's own transaction id rides, so a retried send can be recognised.
FILE_FIELD = "org.alongside.file"


async def _upload(
    conn: Connection, room_id: str, data: bytes, media_type: str, name: str
) -> dict[str, Any]:
    """Upload bytes for a room; the content fields that point at them (`url` or `file`)."""
    client = conn.live()
    room = client.rooms.get(room_id)
    encrypted = bool(room and room.encrypted)

    keys: list[dict[str, Any] | None] = []

    async def request() -> Any:
        response, decryption = await client.upload(
            lambda _limited, _timeouts: io.BytesIO(data),
            content_type=media_type,
            filename=name,
            encrypt=encrypted,
            filesize=len(data),
        )
        keys.append(decryption)
        return response

    uploaded = await conn.requests.call("upload", request, UploadResponse)
    if encrypted and keys and keys[-1]:
        return {"file": {**keys[-1], "url": uploaded.content_uri}}
    return {"url": uploaded.content_uri}


async def upload(conn: Connection, room_id: str, file: File | Image) -> dict[str, Any]:
    """Upload a file or picture for a room; the `m.file` or `m.image` content that shares
    it there."""
    if isinstance(file, Image):
        data = file.content
        content: dict[str, Any] = {
            "msgtype": "m.image",
            "body": file.alt,
            "filename": file.name,
            "info": {
                "mimetype": file.media_type,
                "size": len(data),
                "w": file.width,
                "h": file.height,
            },
        }
    else:
        data = file.content.encode("utf-8")
        content = {
            "msgtype": "m.file",
            "body": file.name,
            "filename": file.name,
            "info": {"mimetype": file.media_type, "size": len(data)},
        }
    content["m.mentions"] = {}
    content.update(await _upload(conn, room_id, data, file.media_type, file.name))
    return content
