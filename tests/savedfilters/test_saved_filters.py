"""Saved filters on lists (issue 12 item 7): a user saves the current query string of the
projects or issues list under a name, reuses it, deletes it; per user, audited."""

import pytest
from django.urls import reverse

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry, Role
from savedfilters.models import SavedFilter
from savedfilters.services import MAX_PER_LIST, clean_query, saved_filter_delete, saved_filter_save
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return user_with_role(Role.LEADER)


class TestServices:
    def test_clean_query_drops_page_and_empty_values(self):
        assert clean_query("stage=started&q=&page=3&park=2&park=") == "park=2&stage=started"
        assert clean_query("") == ""
        assert clean_query("q=%E9%92%A2") == "q=%E9%92%A2"

    def test_save_replace_and_delete(self, leader):
        saved = saved_filter_save(by=leader, page="projects:list", name="  经开区  在建 ", query="park=1&page=2")
        assert (saved.name, saved.query) == ("经开区 在建", "park=1")
        again = saved_filter_save(by=leader, page="projects:list", name="经开区 在建", query="park=1&stage=x")
        assert again.pk == saved.pk and again.query == "park=1&stage=x"
        assert AuditEntry.objects.filter(action__startswith="saved_filter.").count() == 2
        saved_filter_delete(by=leader, saved_filter=again)
        assert not SavedFilter.objects.exists()

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"page": "admin:index", "name": "x", "query": "a=1"},
            {"page": "projects:list", "name": "  ", "query": "a=1"},
            {"page": "projects:list", "name": "x" * 41, "query": "a=1"},
            {"page": "projects:list", "name": "x", "query": "page=2&q="},
            {"page": "projects:list", "name": "x", "query": "q=" + "a" * 1200},
        ],
    )
    def test_refusals(self, leader, kwargs):
        with pytest.raises(ApplicationError):
            saved_filter_save(by=leader, **kwargs)
        assert not SavedFilter.objects.exists()

    def test_limit_per_list(self, leader):
        for i in range(MAX_PER_LIST):
            saved_filter_save(by=leader, page="issues:list", name=f"f{i}", query=f"q={i}")
        with pytest.raises(ApplicationError):
            saved_filter_save(by=leader, page="issues:list", name="one more", query="q=x")
        saved_filter_save(by=leader, page="projects:list", name="one more", query="q=x")

    def test_only_the_owner_deletes_and_users_without_role_save_nothing(self, leader):
        saved = saved_filter_save(by=leader, page="projects:list", name="mine", query="q=1")
        with pytest.raises(PermissionDenied):
            saved_filter_delete(by=user_with_role(Role.LEADER), saved_filter=saved)
        with pytest.raises(PermissionDenied):
            saved_filter_save(by=UserFactory(), page="projects:list", name="x", query="q=1")


class TestPages:
    def test_save_then_reuse_on_the_list(self, client, leader):
        client.force_login(leader)
        list_url = reverse("projects:list")
        page = client.get(list_url, {"stage": "started"}).content.decode()
        assert 'id="saved-filters"' in page and 'name="query" value="stage=started"' in page
        response = client.post(
            reverse("savedfilters:save"), {"page": "projects:list", "name": "已开工", "query": "stage=started&page=2"}
        )
        assert response.status_code == 302 and response["Location"] == f"{list_url}?stage=started"
        page = client.get(list_url).content.decode()
        assert "已开工" in page and f'href="{list_url}?stage=started"' in page
        # Without filters there is nothing to save: no save form, the saved ones still listed.
        assert 'name="query"' not in page

    def test_others_do_not_see_or_delete_mine(self, client, leader):
        saved = saved_filter_save(by=leader, page="issues:list", name="我的筛选", query="status=new")
        other = user_with_role(Role.LEADER)
        client.force_login(other)
        assert "我的筛选" not in client.get(reverse("issues:list")).content.decode()
        assert client.post(reverse("savedfilters:delete", args=[saved.pk])).status_code == 404
        assert SavedFilter.objects.filter(pk=saved.pk).exists()
        client.force_login(leader)
        assert "我的筛选" in client.get(reverse("issues:queue")).content.decode()
        assert client.post(reverse("savedfilters:delete", args=[saved.pk])).status_code == 302
        assert not SavedFilter.objects.exists()

    def test_bad_posts(self, client, leader):
        client.force_login(leader)
        assert client.get(reverse("savedfilters:save")).status_code == 405
        response = client.post(reverse("savedfilters:save"), {"page": "evil", "name": "x", "query": "a=1"})
        assert response.status_code == 302 and not SavedFilter.objects.exists()
        response = client.post(reverse("savedfilters:save"), {"page": "issues:list", "name": "", "query": "a=1"})
        assert response.status_code == 302 and not SavedFilter.objects.exists()
        client.logout()
        assert client.post(reverse("savedfilters:save"), {"page": "issues:list"}).status_code == 302
