"""Renders the message model as plain text (console; Matrix's plain `body`)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.core.messages import (
    BulletList,
    Choices,
    File,
    Heading,
    Image,
    Message,
    Option,
    Paragraph,
    PrivateInput,
    sent_a_file,
)

#: The line above numbered options, where a number typed back chooses one.
REPLY_WITH_A_NUMBER = "Reply with a number:"


def render_text(
    msg: Message,
    private_hint: str = "",
    choose: str | None = REPLY_WITH_A_NUMBER,
    file_note: Callable[[File], str] = sent_a_file,
    picture_note: Callable[[Image], str] | None = None,
) -> tuple[str, list[Option]]:
    """The message as plain text, and its options in the order they are numbered.

    `choose` is the line above numbered options; None where a number can't choose
    (a console channel): each option then shows the command that does it. A file is
    shown as the line `file_note` gives (by default, that it was sent separately); a
    picture as the line `picture_note` gives, or not at all (sent on its own, with its
    alt text: the message's words already say the same).
    """
    parts: list[str] = []
    options: list[Option] = []
    for block in msg.blocks:
        match block:
            case Heading(text=text):
                parts.append(f"** {text} **")
            case Paragraph(text=text):
                parts.append(text)
            case BulletList(items=items):
                parts.append("\n".join(f"- {item}" for item in items))
            case Choices(options=choice_options) if choose is None:
                parts.append("\n".join(f"- {o.label}: say {o.command}" for o in choice_options))
            case Choices(options=choice_options):
                numbered = [
                    f"{len(options) + i}. {o.label}" for i, o in enumerate(choice_options, 1)
                ]
                options.extend(choice_options)
                parts.append(f"{choose}\n" + "\n".join(numbered))
            case PrivateInput(label=label, command=command):
                parts.append(f"{label} {private_hint or 'Send it to me privately:'} {command} ...")
            case File():
                parts.append(file_note(block))
            case Image() if picture_note is not None:
                parts.append(picture_note(block))
    return "\n".join(parts), options
