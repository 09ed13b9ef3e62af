"""Time: the clock, what is due when, the delivery loop and the wake-ups."""
