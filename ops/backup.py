"""Backup and restore of a whole instance: the database and the uploaded media, in one archive.

An archive is `tracker-backup-<UTC time>.tar.gz` holding

    database.dump | database.sqlite3   pg_dump's custom format (PostgreSQL), or a copy made with
                                       SQLite's online backup API (the embedded default)
    media/…                            every file under MEDIA_ROOT
    manifest.json                      format, creation time, application version, database
                                       vendor, applied migrations, and the size and SHA-256 of
                                       every file above

Consistency: pg_dump and SQLite's backup API each copy one transaction-consistent snapshot while
the site keeps running. The database is copied first, then the media, so every file the copied
database names is in the archive (uploads are never changed in place; a file uploaded in between
is merely extra).

Restoring verifies every checksum before touching anything, refuses a database that already has
user accounts or a media folder that already has files (unless forced), replaces the database
and the media, then applies the migrations the archive predates.
"""

import datetime
import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import projects_tracker

logger = logging.getLogger(__name__)

FORMAT = 1
PREFIX = "tracker-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why (and nothing was changed, for a
    restore refused before it began)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    media_files: int
    removed: list[Path]


@dataclass(frozen=True)
class RestoreResult:
    created_at: str
    version: str
    media_files: int
    migrations_applied: int


# --- Helpers --------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    """Every regular file under `root`, relative, sorted. Top-level names starting with a dot are
    the application's own scratch files (readiness probes, restores under way), not media."""
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        if here == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            filenames = [f for f in filenames if not f.startswith(".")]
        for name in filenames:
            path = here / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root))
    return sorted(found)


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _pg_environment() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: the password never appears on a command line."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    options = db.get("OPTIONS", {})
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _run(command: list[str]) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client, of the server's major version).")
    result = subprocess.run(  # noqa: S603 (fixed executables; arguments are ours)
        [executable, *command[1:]], env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def applied_migrations() -> list[str]:
    """ "app.migration" for every migration recorded as applied, sorted."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# --- Backup ----------------------------------------------------------------------------------------


def _dump_database(target: Path) -> None:
    if _vendor() == "postgresql":
        _run(["pg_dump", "--format=custom", "--compress=6", f"--file={target}"])
        return
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for this connection's own write transaction.
        raise BackupError("Back up outside a transaction.")
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # SQLite's online backup API: a consistent copy while other connections keep writing.
        connection.connection.backup(destination)
    finally:
        destination.close()


def _add_file(archive: tarfile.TarFile, source: Path, name: str) -> dict:
    """Add `source` as `name`, hashing it while it is read; its size and SHA-256."""
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600

        class Hashing:
            def read(self, size=-1):
                chunk = handle.read(size)
                digest.update(chunk)
                return chunk

        archive.addfile(info, Hashing())
    return {"size": info.size, "sha256": digest.hexdigest()}


def _prune(directory: Path, keep: int) -> list[Path]:
    archives = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_create(*, directory: Path | None = None, keep: int | None = None) -> BackupResult:
    """Write a new archive into `directory` (default BACKUP_DIR) and keep only the newest `keep`
    archives there (default BACKUP_KEEP; 0 keeps all). The archive appears under its final name
    only when complete; it is readable by its owner only."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    directory.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    if not applied_migrations():
        raise BackupError("The database has no migrations applied: nothing to back up (is DATABASE_URL right?).")
    created = timezone.now().astimezone(datetime.UTC)
    final = directory / f"{PREFIX}{created:%Y%m%dT%H%M%S}Z{SUFFIX}"
    if final.exists():
        raise BackupError(f"{final.name} already exists; try again in a second.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=directory) as staging:
        database = Path(staging) / DATABASE_FILES[vendor]
        _dump_database(database)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "version": projects_tracker.__version__,
            "database": {"vendor": vendor, "file": database.name},
            "migrations": applied_migrations(),
            "files": {},
        }
        partial = Path(staging) / final.name
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            manifest["files"][database.name] = _add_file(archive, database, database.name)
            files = media_files(media_root)
            for relative in files:
                name = f"media/{relative.as_posix()}"
                manifest["files"][name] = _add_file(archive, media_root / relative, name)
            payload = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(payload), 0o600, int(created.timestamp())
            archive.addfile(info, io.BytesIO(payload))
        partial.chmod(0o600)
        os.replace(partial, final)
    removed = _prune(directory, keep)
    size = final.stat().st_size
    logger.info(
        "Backup written: %s (%d bytes, %d media files)",
        final,
        size,
        len(files),
        extra={"archive": str(final), "bytes": size, "media_files": len(files)},
    )
    return BackupResult(path=final, size=size, media_files=len(files), removed=removed)


def newest_archive(directory: Path | None = None) -> Path | None:
    archives = sorted(Path(directory or settings.BACKUP_DIR).glob(f"{PREFIX}*{SUFFIX}"))
    return archives[-1] if archives else None


# --- Restore ---------------------------------------------------------------------------------------


def _unpack(archive_path: Path, staging: Path) -> dict:
    """Extract into `staging` and verify the manifest; the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    raise BackupError(f"Unexpected entry in the archive: {member.name}")
                archive.extract(member, staging, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"Cannot read {archive_path}: {exc}") from exc
    manifest_path = staging / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{archive_path} has no {MANIFEST}: not a backup of this application.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} (this version reads {FORMAT}).")
    listed = set(manifest["files"])
    present = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()} - {MANIFEST}
    if listed != present:
        raise BackupError(f"The archive's files do not match its manifest: {sorted(listed ^ present)[:5]}")
    for name, expected in manifest["files"].items():
        path = staging / name
        if path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"Checksum mismatch for {name}: the archive is damaged.")
    return manifest


def instance_contents() -> tuple[int, int]:
    """(user accounts in the database, files in MEDIA_ROOT): both 0 for an empty instance."""
    users = 0
    user_table = get_user_model()._meta.db_table
    if user_table in connection.introspection.table_names():
        users = get_user_model().objects.count()
    return users, len(media_files(Path(settings.MEDIA_ROOT)))


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "postgresql":
        # pg_restore must be able to read the dump before anything is dropped.
        _run(["pg_restore", "--list", str(dump)])
        tables = connection.introspection.table_names(include_views=False)
        if tables:
            # Whatever is there (an empty migrated schema, or with --force a whole instance)
            # makes way for the archive's tables; pg_restore then runs as one transaction.
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
        connection.close()
        database = str(connection.settings_dict["NAME"])
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database}",
                str(dump),
            ]
        )
        return
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # Page by page into the live database file (or the test's in-memory one), under its lock.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _replace_media(unpacked: Path, staging: Path) -> None:
    """Swap MEDIA_ROOT's contents for the archive's. Renames within MEDIA_ROOT (the staging
    folder lives there), so a Docker volume mounted at MEDIA_ROOT works."""
    root = Path(settings.MEDIA_ROOT)
    previous = staging / "previous"
    previous.mkdir()
    for entry in root.iterdir():
        if not entry.name.startswith("."):
            entry.rename(previous / entry.name)
    if unpacked.is_dir():
        for entry in unpacked.iterdir():
            entry.rename(root / entry.name)


def backup_restore(*, archive: Path, force: bool = False) -> RestoreResult:
    """Restore `archive` into this instance (database of DATABASE_URL, MEDIA_ROOT).

    Refuses (BackupError, nothing changed) a damaged archive, one made by a newer version (with
    migrations this code does not have), one of another database vendor, and, unless `force`, an
    instance that is not empty (user accounts in the database, files in MEDIA_ROOT)."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No such archive: {archive}")
    vendor = _vendor()
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=root) as staging_name:
        staging = Path(staging_name)
        unpacked = staging / "archive"
        unpacked.mkdir()
        manifest = _unpack(archive, unpacked)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; this instance uses {vendor}."
            )
        unknown = sorted(set(manifest["migrations"]) - _known_migrations())
        if unknown:
            raise BackupError(
                f"The archive comes from a newer version ({manifest['version']}): unknown migrations {unknown[:5]}."
            )
        users, files = instance_contents()
        if (users or files) and not force:
            raise BackupError(
                f"This instance is not empty ({users} user accounts, {files} media files). "
                "Restore into an empty instance, or give --force to replace everything."
            )
        _restore_database(vendor, unpacked / manifest["database"]["file"])
        before = len(applied_migrations())
        call_command("migrate", interactive=False, verbosity=0)
        migrated = len(applied_migrations()) - before
        _replace_media(unpacked / "media", staging)
    media_count = sum(1 for name in manifest["files"] if name.startswith("media/"))
    logger.info(
        "Restored %s (made %s by version %s): %d media files, %d migrations applied afterwards",
        archive,
        manifest["created_at"],
        manifest["version"],
        media_count,
        migrated,
        extra={"archive": str(archive)},
    )
    return RestoreResult(
        created_at=manifest["created_at"],
        version=manifest["version"],
        media_files=media_count,
        migrations_applied=migrated,
    )
