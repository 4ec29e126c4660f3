#!/bin/sh
# Restore a backup made by deploy/backup.sh into an EMPTY database and an empty media directory,
# then check it: every checksum, and every table holding at least the rows counted at backup time.
#
#   createdb -O tadamon tadamon_restored
#   DATABASE_URL=postgres://tadamon@localhost/tadamon_restored MEDIA_ROOT=/var/lib/tadamon/media-restored \
#     deploy/restore.sh /var/backups/tadamon/tadamon-20260101-020000
#
# Refuses a database that already has tables (it never overwrites live data). Exit status 0 only
# when the restore is complete and checked. See docs/operations.md ("Backups").
set -eu

BACKUP=${1:?usage: restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must point to the (empty) target database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the target media directory}"
HERE=$(cd "$(dirname "$0")" && pwd)

(cd "$BACKUP" && sha256sum --check --quiet SHA256SUMS) || { echo "restore.sh: damaged backup" >&2; exit 1; }

TABLES=$(psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -At -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$TABLES" != "0" ]; then
  echo "restore.sh: the target database is not empty ($TABLES tables); create a new one" >&2
  exit 1
fi
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$DATABASE_URL" "$BACKUP/db.dump"

mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$BACKUP/media.tar.gz"

RESTORED=$(mktemp)
trap 'rm -f "$RESTORED"' EXIT
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -At -F "$(printf '\t')" -f "$HERE/table_counts.sql" > "$RESTORED"
MISSING=$(awk -F '\t' 'NR == FNR { now[$1] = $2; next } !($1 in now) || now[$1] + 0 < $2 + 0 { print $1 " " $2 " -> " now[$1] }' \
  "$RESTORED" "$BACKUP/counts.tsv")
if [ -n "$MISSING" ]; then
  echo "restore.sh: rows missing after the restore (table, at backup -> restored):" >&2
  echo "$MISSING" >&2
  exit 1
fi
echo "restored $(wc -l < "$BACKUP/counts.tsv") tables and $(tar -tzf "$BACKUP/media.tar.gz" | grep -vc '/$') files from $BACKUP"
