#!/bin/sh
# Back up Tadamon: the PostgreSQL database (pg_dump, custom format) and the uploaded files
# (MEDIA_ROOT), with the row count of every table and a checksum of every file of the backup.
#
#   DATABASE_URL=postgres://tadamon@localhost/tadamon MEDIA_ROOT=/var/lib/tadamon/media \
#     deploy/backup.sh /var/backups/tadamon
#
# Makes DEST/tadamon-YYYYMMDD-HHMMSS/ with db.dump, media.tar.gz, counts.tsv and SHA256SUMS, and
# prints its path. The dump is one consistent snapshot (pg_dump's own transaction): the site may
# keep running. Files uploaded while the archive is written may be missing from it, never half
# there. See docs/operations.md ("Backups").
set -eu

DEST=${1:?usage: backup.sh DEST_DIR}
MEDIA_ROOT=${MEDIA_ROOT:-${TADAMON_VAR:+$TADAMON_VAR/media}}  # the settings' default
: "${DATABASE_URL:?DATABASE_URL must point to the PostgreSQL database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the uploaded files directory}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup.sh: PostgreSQL only" >&2; exit 2 ;; esac

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT="$DEST/tadamon-$STAMP"
mkdir -p "$OUT.partial"
umask 077

# Row counts first, then the dump: a restore must find at least these rows (the dump is taken a
# moment later and may hold a few more, never fewer unless something was deleted in between).
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -At -F "$(printf '\t')" -f "$(dirname "$0")/table_counts.sql" \
  > "$OUT.partial/counts.tsv"
pg_dump --format=custom --no-owner --no-privileges --file="$OUT.partial/db.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$OUT.partial/media.tar.gz" .
else
  tar -czf "$OUT.partial/media.tar.gz" -T /dev/null
fi
(cd "$OUT.partial" && sha256sum db.dump media.tar.gz counts.tsv > SHA256SUMS)
mv "$OUT.partial" "$OUT"  # a backup directory without .partial is complete
echo "$OUT"
