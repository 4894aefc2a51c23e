"""Each role lands on its own first screen after login."""

import pytest

from core.models import Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (Role.LEADER, "/dashboard/"),
        (Role.SUPERVISOR, "/dashboard/"),
        (Role.HANDLER, "/issues/"),
        (Role.STAFF, "/issues/"),
        (Role.OFFICIAL, "/projects/"),
    ],
)
def test_home_sends_each_role_to_its_first_screen(client, role, target):
    user = user_with_role(role)
    client.login(username=user.username, password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_export_links_on_lists_keep_the_filters(client):
    user = user_with_role(Role.OFFICIAL)
    client.login(username=user.username, password=PASSWORD)
    body = client.get("/projects/?stage=signed").content.decode()
    assert "/dashboard/export/projects.xlsx?stage=signed" in body
    body = client.get("/issues/all/?status=new").content.decode()
    assert "/dashboard/export/issues.xlsx?status=new" in body


def test_no_upload_is_served_from_an_open_media_url(client, settings, tmp_path):
    """Files are served only by their object's view (tests/security/test_media_access.py)."""
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "private" / "imports").mkdir(parents=True)
    (tmp_path / "private" / "imports" / "list.xlsx").write_bytes(b"PK")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.png").write_bytes(b"png")
    user = user_with_role(Role.SUPERVISOR)
    client.login(username=user.username, password=PASSWORD)
    assert client.get("/media/reports/a.png").status_code == 404
    assert client.get("/media/private/imports/list.xlsx").status_code == 404
    assert client.get("/media/reports/../private/imports/list.xlsx").status_code == 404


def test_an_official_named_by_title_is_not_printed_twice():
    from core.models import Official

    assert str(Official(name="市委书记", title="市委书记")) == "市委书记"
    assert str(Official(name="张三", title="科长")) == "张三（科长）"
