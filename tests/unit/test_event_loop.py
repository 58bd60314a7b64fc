"""NEWSROOM_EVENT_LOOP: the loop the worker's run_worker makes every new event loop."""

import asyncio

import pytest
import uvloop

from streams.app import use_event_loop


@pytest.mark.parametrize("name, loop_type", [("uvloop", uvloop.Loop), ("asyncio", asyncio.SelectorEventLoop)])
def test_the_named_loop_is_the_one_made(name, loop_type):
    try:
        use_event_loop(name)
        loop = asyncio.new_event_loop()
        try:
            assert isinstance(loop, loop_type)
            assert loop.run_until_complete(asyncio.sleep(0, result="ran")) == "ran"
        finally:
            loop.close()
    finally:
        asyncio.set_event_loop_policy(None)
