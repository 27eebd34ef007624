# ruff: noqa: E501  (real tool lines read better unwrapped)
"""V8's native stack on a failed allocation names an out-of-memory death even when a paste
holds only the frames (batch 24, lead): node prints them under its ``FATAL ERROR: …
JavaScript heap out of memory`` line."""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose


def _paste(lines: list[str]) -> Diagnosis:
    return diagnose(io.BytesIO("".join(f"{line}\n" for line in lines).encode()))


def test_v8_allocation_give_up_frames_are_an_oom() -> None:
    got = _paste(
        [
            " 4: 0xb7a0b0 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, bool) [node]",
            " 5: 0xd5c6f5 v8::internal::Heap::FatalProcessOutOfMemory(char const*) [node]",
            " 8: 0xd5c8a9 v8::internal::Heap::AllocateRawWithRetryOrFailSlowPath(int, v8::internal::AllocationType, v8::internal::AllocationOrigin, v8::internal::AllocationAlignment) [node]",
        ]
    )
    assert got.category == "oom_killed" and got.rule == "oom-killer"
    assert any("FatalProcessOutOfMemory" in k.text for k in got.key_lines)


def test_newer_v8_heap_allocator_frame_alone_is_an_oom() -> None:
    got = _paste(
        [
            " 8: 0x5cb1d7b69d19 v8::internal::HeapAllocator::AllocateRawWithRetryOrFailSlowPath(int, v8::internal::AllocationType, v8::internal::AllocationOrigin, v8::internal::AllocationAlignment) [out/Release/node]",
            " 9: 0x5cb1d7b4582d v8::internal::Factory::AllocateRaw(int, v8::internal::AllocationType, v8::internal::AllocationAlignment) [out/Release/node]",
        ]
    )
    assert got.category == "oom_killed"


def test_v8_frames_of_other_crashes_are_not_an_oom() -> None:
    got = _paste(
        [
            "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal.",
            " 1: 0x8fa090 node::Abort() [node]",
            " 3: 0xb7a0b0 v8::Utils::ReportApiFailure(char const*, char const*) [node]",
            " 4: 0xd5c8a9 v8::internal::Heap::AllocateRaw(int, v8::internal::AllocationType) [node]",
        ]
    )
    assert got.category != "oom_killed"
