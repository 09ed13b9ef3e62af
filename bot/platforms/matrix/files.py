"""Files on Matrix: uploaded to the homeserver's media repository, then sent as an
`m.file` event with the mxc:// address (encrypted first in an encrypted room, as the
spec asks: the event then carries the key in `file` instead of a plain `url`)."""

from __future__ import annotations

import io
from typing import Any

from nio import UploadResponse

from bot.platforms.matrix.connection import Connection
from handlers.core.messages import File

#: Where a file event's own transaction id rides, so a retried send can be recognised.
FILE_FIELD = "org.alongside.file"


async def upload(conn: Connection, room_id: str, file: File) -> dict[str, Any]:
    """Upload the file for a room; the `m.file` content that shares it there."""
    client = conn.live()
    data = file.content.encode("utf-8")
    room = client.rooms.get(room_id)
    encrypted = bool(room and room.encrypted)

    keys: list[dict[str, Any] | None] = []

    async def request() -> Any:
        response, decryption = await client.upload(
            lambda _limited, _timeouts: io.BytesIO(data),
            content_type=file.media_type,
            filename=file.name,
            encrypt=encrypted,
            filesize=len(data),
        )
        keys.append(decryption)
        return response

    uploaded = await conn.requests.call("upload", request, UploadResponse)
    content: dict[str, Any] = {
        "msgtype": "m.file",
        "body": file.name,
        "filename": file.name,
        "info": {"mimetype": file.media_type, "size": len(data)},
        "m.mentions": {},
    }
    if encrypted and keys and keys[-1]:
        content["file"] = {**keys[-1], "url": uploaded.content_uri}
    else:
        content["url"] = uploaded.content_uri
    return content
