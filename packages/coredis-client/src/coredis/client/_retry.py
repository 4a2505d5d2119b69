"""When may the client send a command a second time?

The rule (documented on :class:`coredis.Redis`):

1. A failure *before the command was written* (acquiring or connecting the connection,
   or the connection turning out to be closed when the request is queued) is retried once,
   for any command: the server never saw it.
2. A failure *after the command was written* (the reply timed out, or the connection
   dropped while waiting) is retried once only for commands in :data:`IDEMPOTENT_COMMANDS`
   (reads, and commands whose repetition cannot change anything), and a
   :class:`~coredis.exceptions.TimeoutError` only when ``retry_on_timeout=True``.
3. Everything else is raised: a ``SET``/``INCR``/``LPUSH``... that may or may not have
   reached the server is never silently repeated. The caller decides.
"""

from __future__ import annotations

__all__ = ("IDEMPOTENT_COMMANDS",)

IDEMPOTENT_COMMANDS: frozenset[bytes] = frozenset(
    b"""
    BITCOUNT BITFIELD_RO BITPOS DBSIZE DUMP ECHO EVALSHA_RO EVAL_RO EXISTS EXPIRETIME FCALL_RO
    GEODIST GEOHASH GEOPOS GEORADIUSBYMEMBER_RO GEORADIUS_RO GEOSEARCH GET GETBIT GETRANGE
    HEXISTS HGET HGETALL HKEYS HLEN HMGET HRANDFIELD HSCAN HSTRLEN HVALS INFO KEYS LASTSAVE
    LCS LINDEX LLEN LOLWUT LPOS LRANGE MGET PEXPIRETIME PFCOUNT PING PTTL RANDOMKEY SCAN SCARD
    SDIFF SINTER SINTERCARD SISMEMBER SMEMBERS SMISMEMBER SRANDMEMBER SSCAN STRLEN SUBSTR
    SUNION TIME TTL TYPE XINFO XLEN XPENDING XRANGE XREVRANGE ZCARD ZCOUNT ZDIFF ZINTER
    ZINTERCARD ZLEXCOUNT ZMSCORE ZRANDMEMBER ZRANGE ZRANGEBYLEX ZRANGEBYSCORE ZRANK
    ZREVRANGE ZREVRANGEBYLEX ZREVRANGEBYSCORE ZREVRANK ZSCAN ZSCORE ZUNION
    """.split()
)
