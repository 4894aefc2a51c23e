"""Labels say which deadline they show: an overdue badge names the deadline that passed, and no
label anywhere is a bare 办理期限 / 期限 that could mean the current step's or the resolution's."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine

from core.models import Role
from issues.models import Status
from tests.factories import DepartmentFactory, IssueFactory, user_with_role

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_no_translation_is_a_bare_deadline():
    text = LOCALE.read_text(encoding="utf-8")
    bare = re.findall(r'^msgstr(?:\[0\])? "(办理期限|期限|截止期限|办理时间)"$', text, re.M)
    assert bare == []


@pytest.mark.django_db
def test_an_overdue_issue_names_the_deadline_that_passed(client):
    unit = DepartmentFactory()
    handler = user_with_role(Role.HANDLER, department=unit)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 2, tzinfo=datetime.UTC), tick=False):
        issue = IssueFactory(status=Status.ASSIGNED, lead_department=unit, title="施工许可")
    client.force_login(handler)
    with time_machine.travel(datetime.datetime(2026, 11, 27, 2, tzinfo=datetime.UTC), tick=False):
        detail = client.get(f"/issues/{issue.pk}/").content.decode()
        listing = client.get("/issues/all/").content.decode()
    for body in (detail, listing):
        badges = re.findall(r'data-testid="overdue">([^<]+)<', body)
        assert badges and all(b in ("答复期限已过", "签收期限已过") for b in badges), badges
