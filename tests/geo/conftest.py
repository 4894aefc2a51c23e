import pytest
import time_machine

from tests.lifecycle import NOW, build_world


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()
