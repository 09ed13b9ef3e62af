"""/meeting live on|off: whether the bot calls each agenda item as the meeting goes."""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.messages import message

_ON = {"on", "yes", "true", "start"}
_OFF = {"off", "no", "false", "stop"}


async def live_setting(ctx: Context, args: str) -> None:
    """Show or change live meeting mode for the group (facilitators change it)."""
    group = ctx.the_group()
    said = args.strip().lower()
    if not said:
        state = "on" if group.live_meeting else "off"
        ctx.reply(
            message(
                f"Live meeting mode is {state}. When it's on, I post today's agenda as the "
                "meeting starts, call each item at its time, and tell the chair privately "
                "when an item has 5 minutes left.",
                "A facilitator can change it with /meeting live on or /meeting live off.",
            )
        )
        return
    if said not in _ON | _OFF:
        raise Refusal(
            f"I can only turn live meeting mode on or off, not '{said[:20]}'. Nothing was changed.",
            "Try /meeting live on or /meeting live off.",
        )
    if not ctx.is_facilitator:
        raise Refusal(
            "Only a facilitator can turn live meeting mode on or off. Nothing was changed.",
            "/group shows who the facilitators are.",
        )
    group.live_meeting = said in _ON
    ctx.audit(f"turned live meeting mode {'on' if group.live_meeting else 'off'}")
    if group.live_meeting:
        ctx.post(
            message(
                "Live meeting mode is on. In each meeting I'll post the agenda as it starts, "
                "call each item at its time, and place the breaks between items.",
                "The chair can steer with /next, /more 10m, /back, /pause and /end.",
            )
        )
    else:
        ctx.post(
            message(
                "Live meeting mode is off. I won't call agenda items during meetings. "
                "Break reminders still come.",
            )
        )
