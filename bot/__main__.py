"""`python -m bot` is the same as the `alongside` command."""

from bot.cli import main

main()
