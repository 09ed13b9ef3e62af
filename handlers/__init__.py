"""Features, platform-neutral: each module holds its commands, their help and their words."""
