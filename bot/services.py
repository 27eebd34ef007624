"""The long-lived parts every delivery shares, opened on first use and closed at shutdown.

A `Context` is copied per delivery; its `Services` object is the same one for the whole
process, so a store opened while handling one delivery serves the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.kvstore import KVStore
    from bot.memory.model import FailureStore
    from bot.queue import JobQueue
    from bot.rebase.mirror import MirrorCache
    from bot.report.backend import ReportStorage
    from bot.settings import Settings


@dataclass
class Services:
    queue: JobQueue | None = None
    report_store: ReportStorage | None = None  # bot.report.backend.store_of opens it
    kv: KVStore | None = None  # bot.kvstore.kv_of opens it
    mirrors: MirrorCache | None = None  # the rebase feature's bare clones
    failures: FailureStore | None = None  # bot.memory.backend.memory_of opens it

    def close(self) -> None:
        """Close the stores opened so far (the queue has its own lifecycle)."""
        for store in (self.report_store, self.kv, self.failures):
            if store is not None:
                store.close()


class HasServices(Protocol):
    """What the store openers (`store_of`, `kv_of`) need of a context; `Context` is one."""

    @property
    def settings(self) -> Settings: ...
    @property
    def services(self) -> Services: ...
