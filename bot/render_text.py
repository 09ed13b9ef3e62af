"""Renders the message model as plain text (console; Matrix's plain `body`)."""

from __future__ import annotations

from handlers.messages import (
    BulletList,
    Choices,
    Heading,
    Message,
    Option,
    Paragraph,
    PrivateInput,
)


def render_text(msg: Message, private_hint: str = "") -> tuple[str, list[Option]]:
    """The message as plain text, and its options in the order they are numbered."""
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
            case Choices(options=choice_options):
                numbered = [
                    f"{len(options) + i}. {o.label}" for i, o in enumerate(choice_options, 1)
                ]
                options.extend(choice_options)
                parts.append("Reply with a number:\n" + "\n".join(numbered))
            case PrivateInput(label=label, command=command):
                parts.append(f"{label} {private_hint or 'Send it to me privately:'} {command} ...")
    return "\n".join(parts), options
