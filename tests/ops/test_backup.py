"""Backup and restore round trip on the configured database (PostgreSQL in CI: pg_dump into a
fresh database; SQLite: the online backup API into a fresh file), comparing every table's rows
and every media file; and the refusals: a non-empty instance, a damaged or newer archive."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from ops.backup import MANIFEST, backup_create, media_files
from tests.issues.conftest import NOW, build_world, issue_in_state, png_upload, raise_issue
from tests.test_settings_env import STRONG_KEY

ROOT = Path(__file__).resolve().parents[2]


# --- A fresh, empty instance of the configured kind ------------------------------------------------


class Instance:
    """A database (fresh PostgreSQL database, or SQLite file) and media folder, run through
    `manage.py` in a subprocess with the production settings."""

    def __init__(self, tmp_path: Path, name: str):
        self.media = tmp_path / f"{name}-media"
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            self.database = f"{db['NAME']}_{name}"
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}"', f'CREATE DATABASE "{self.database}"')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.database}"
        else:
            self.database = str(tmp_path / f"{name}.sqlite3")
            self.url = f"sqlite:///{self.database}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}},
            "DJANGO_SETTINGS_MODULE": "projects_tracker.settings",
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "VAR_DIR": str(tmp_path / f"{name}-var"),
        }

    @staticmethod
    def _admin(*statements: str) -> None:
        import psycopg2

        db = connection.settings_dict
        admin = psycopg2.connect(
            dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None, host=db["HOST"], port=db["PORT"]
        )
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            admin.close()

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def connect(self):
        if connection.vendor == "postgresql":
            import psycopg2

            db = connection.settings_dict
            import psycopg2.extras

            restored = psycopg2.connect(
                dbname=self.database,
                user=db["USER"],
                password=db.get("PASSWORD") or None,
                host=db["HOST"],
                port=db["PORT"],
            )
            # As Django's connection reads them (for the source rows): UTC, JSON left as text.
            restored.cursor().execute("SET TIME ZONE 'UTC'")
            psycopg2.extras.register_default_jsonb(conn_or_curs=restored, loads=lambda text: text)
            psycopg2.extras.register_default_json(conn_or_curs=restored, loads=lambda text: text)
            return restored
        import sqlite3

        # Django's converters (bool, datetime, …), as for the source rows.
        return sqlite3.connect(self.database, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@pytest.fixture
def fresh_instance(tmp_path):
    made = []

    def make(name: str) -> Instance:
        instance = Instance(tmp_path, name)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.drop()


# --- Comparing ------------------------------------------------------------------------------------


def table_rows(cursor, tables: list[str], quote) -> dict[str, list]:
    rows = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names from introspection)
        columns = [column[0] for column in cursor.description]
        rows[table] = (columns, sorted(repr(row) for row in cursor.fetchall()))
    return rows


def file_digests(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256((root / p).read_bytes()).hexdigest() for p in media_files(root)}


def sequences(cursor) -> dict:
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
    return dict(cursor.fetchall())


# --- Round trip -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_and_every_file_and_refuses_what_it_must(tmp_path, fresh_instance):
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        raise_issue(world, photos=[png_upload("现场.png"), png_upload("site-2.png")])
        issue_in_state(world, "closed")
    extra = Path(settings.MEDIA_ROOT) / "private" / "imports" / "2026" / "12" / "项目清单.xlsx"
    extra.parent.mkdir(parents=True)
    extra.write_bytes(os.urandom(4096))
    (Path(settings.MEDIA_ROOT) / ".readyz-probe").write_bytes(b"scratch, not media")

    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=io.StringIO())
    [archive] = (tmp_path / "backups").glob("tracker-backup-*.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    assert manifest["database"]["vendor"] == connection.vendor
    assert "ops.0001_initial" in manifest["migrations"]
    assert "media/private/imports/2026/12/项目清单.xlsx" in manifest["files"]
    assert not any(".readyz" in name for name in manifest["files"])

    target = fresh_instance("restore")
    result = target.manage("restore", str(archive))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "3 media files" in result.stdout

    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        source_rows = table_rows(cursor, tables, connection.ops.quote_name)
        source_sequences = sequences(cursor) if connection.vendor == "postgresql" else {}
    restored = target.connect()
    try:
        cursor = restored.cursor()
        restored_rows = table_rows(cursor, tables, connection.ops.quote_name)
        if connection.vendor == "postgresql":
            assert sequences(cursor) == source_sequences
    finally:
        restored.close()
    assert len(tables) > 40
    for table in tables:
        assert restored_rows[table] == source_rows[table], table
    assert source_rows["issues_issuephoto"][1], "the world has photos"

    source_files = file_digests(Path(settings.MEDIA_ROOT))
    assert len(source_files) == 3
    assert file_digests(target.media) == source_files

    # The restored instance is no longer empty: a second restore is refused and changes nothing.
    again = target.manage("restore", str(archive))
    assert again.returncode != 0
    assert "not empty" in again.stderr and "--force" in again.stderr
    assert file_digests(target.media) == source_files

    # A damaged archive, and one from a newer version, are refused before anything is written.
    empty = fresh_instance("refused")
    assert_refused_and_untouched(empty, repack(archive, tmp_path / "damaged.tar.gz", damage), "Checksum mismatch")
    assert_refused_and_untouched(empty, repack(archive, tmp_path / "newer.tar.gz", from_the_future), "newer version")


# --- Refusals -------------------------------------------------------------------------------------


def repack(archive: Path, out: Path, change) -> Path:
    """A copy of `archive` with `change(folder)` applied to its extracted files."""
    folder = out.with_suffix(".d")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    change(folder)
    with tarfile.open(out, "w:gz") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(folder).as_posix())
    return out


def damage(folder: Path) -> None:
    photo = next((folder / "media").rglob("*.png"))
    photo.write_bytes(photo.read_bytes()[:-1] + b"\x00")


def from_the_future(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["migrations"].append("issues.9999_from_a_newer_version")
    manifest["version"] = "9.0.0"
    (folder / MANIFEST).write_text(json.dumps(manifest))


def assert_refused_and_untouched(target: Instance, archive: Path, message: str) -> None:
    result = target.manage("restore", str(archive))
    assert result.returncode != 0
    assert message in result.stderr
    db = target.connect()
    try:
        cursor = db.cursor()
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        assert cursor.fetchone() == (0,), "no table was created"
    finally:
        db.close()
    assert not target.media.exists() or not media_files(target.media)


@pytest.mark.django_db(transaction=True)
def test_old_archives_are_pruned_and_the_backup_healthcheck_follows_the_newest(tmp_path, settings):
    import datetime

    settings.BACKUP_DIR = tmp_path / "backups"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("healthcheck", "backup")
    for hour in range(4):
        with time_machine.travel(NOW + datetime.timedelta(hours=hour), tick=False):
            backup_create(keep=2)
    names = sorted(p.name for p in settings.BACKUP_DIR.glob("tracker-backup-*"))
    assert names == ["tracker-backup-20261127T040000Z.tar.gz", "tracker-backup-20261127T050000Z.tar.gz"]
    assert not list(settings.BACKUP_DIR.glob(".backup-*")), "no staging left behind"

    call_command("healthcheck", "backup", stdout=io.StringIO())
    newest = settings.BACKUP_DIR / names[-1]
    old = newest.stat().st_mtime - 27 * 3600
    os.utime(newest, (old, old))
    with pytest.raises(CommandError, match="Unhealthy"):
        call_command("healthcheck", "backup")
