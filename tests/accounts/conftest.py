"""Sign-in tests run at a fixed moment (2026-11-27 10:00 in Shanghai); `clock.shift()` moves on."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
