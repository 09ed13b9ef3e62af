"""/contributions and /expenses: what they say, and which module runs each part."""

from __future__ import annotations

from handlers.contributions import adding, export, leading, payment, presence, views
from handlers.core.commands import CommandSpec, Sub

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="contributions",
        summary="See what you've given to the group: meetings, roles, items you led and "
        "time you spent getting ready. Only you and the facilitators see it.",
        usage="/contributions",
        examples=(
            "/contributions",
            "/contributions add 2h reading papers",
            "/contributions payment vouchers",
        ),
        run=views.show,
        takes_text=False,
        unknown_hint="Type /contributions to see your record.",
        subs=(
            Sub("show", views.show, "/contributions show", "See your record."),
            Sub(
                "add",
                adding.add,
                "/contributions add <time> <what you did>",
                "Add time you spent getting ready, like 2h reading papers.",
            ),
            Sub(
                "payment",
                payment.choose,
                "/contributions payment paid|vouchers|none",
                "Say, privately, how you'd like to be paid for taking part.",
                private=True,
            ),
            Sub(
                "there",
                presence.there,
                "/contributions there <date, or last> <@names, or everyone except @name>",
                "Say who came to a meeting. This is for its chair, its minute-taker or a "
                "facilitator.",
            ),
            Sub(
                "export",
                export.export,
                "/contributions export <month, like 2027-03>",
                "Get a month's record as a spreadsheet file for the finance team.",
                facilitator_only=True,
            ),
            Sub(
                "leads",
                leading.leads,
                "/contributions leads",
                "See how leading is shared between perspectives, as counts.",
                facilitator_only=True,
            ),
        ),
    ),
    CommandSpec(
        name="expenses",
        summary="Record a cost you had for taking part, like travel or phone data, so it "
        "can be paid back.",
        usage="/expenses <amount> <what>",
        examples=("/expenses £4.50 bus fare",),
        run=adding.expenses,
    ),
)
