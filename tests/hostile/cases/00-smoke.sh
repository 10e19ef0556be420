# The driver itself: a verb given a missing database is refused with exit 3 and writes nothing.
hostile_case "info on a missing database" 3 "$FORESTOCK" info --db missing.db
