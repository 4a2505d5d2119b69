"""Command groups of the Redis client, one mixin module per group."""
