"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3), under the same server-chosen names as
on disk (core.files.server_name): a user's file name never becomes an object key.

An object is written when the upload is saved; a transaction that then rolls back leaves it
unreferenced (the bucket has no rename to stage it as core.files.StagedStorage does on disk).
"""

from storages.backends.s3 import S3Storage

from core.files import server_name


class ServerNamedS3Storage(S3Storage):
    def get_available_name(self, name, max_length=None):
        return name  # a fresh uuid never collides; _save picks it

    def _save(self, name, content):
        return super()._save(server_name(name, content), content)
